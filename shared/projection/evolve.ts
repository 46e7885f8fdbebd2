import type { StoredEvent } from "../events/types.ts";
import type { ProductPage } from "../views/readModels.ts";
import { ancestorsAndSelf, nextAggregate, sortPrices, zeroCounters } from "./counters.ts";
import {
  attributeEntryOf,
  listingOf,
  pageOf,
  sameAttributeEntry,
  sameListingEntry,
  searchOf,
  summaryOf,
} from "./derive.ts";
import { analyze, type BatchDiff, initialProduct } from "./plan.ts";
import {
  type CategoryCounters,
  navigationKey,
  type RecordChange,
  type RecordKind,
  recordKinds,
  type ViewRecord,
} from "./records.ts";
import { buildNavigation, categoryStatsOf, type NodeCounts, navigationNodes } from "./served.ts";
import type { Need, ViewSlice } from "./slice.ts";
import { compareCodePoints } from "./text.ts";

/** Where the change builders put what they derive. */
export type Emit = (change: RecordChange) => void;

const upsert = (record: ViewRecord): RecordChange => ({ op: "upsert", record });
const remove = (kind: RecordKind, key: string): RecordChange => ({ op: "delete", kind, key });

/**
 * The product, page, listing, summary, search and attribute changes of the
 * products a batch touched, and the pages a rename reaches.
 *
 * @example
 * productChanges(slice, diff, (c) => out.push(c)); // out → [{ op: "upsert", record: { kind: "product", … } }, …]
 */
export function productChanges(slice: ViewSlice, diff: BatchDiff, emit: Emit): void {
  const { categories, products } = diff.fold;
  const pages = new Map<string, ProductPage | null>();
  for (const [id, final] of products) {
    const initial = initialProduct(slice, id);
    if (final) emit(upsert({ kind: "product", key: id, value: final }));
    else if (initial) emit(remove("product", id));
    if (initial && initial.status !== "draft")
      pages.set(initial.slug, pages.get(initial.slug) ?? null);
    const page = final ? pageOf(final, categories) : null;
    if (page) pages.set(page.slug, page);
    // The summary changes with every event (its version does); the listing
    // entry only when what listings sort or filter by does.
    const listing = listingOf(final);
    const listingBefore = listingOf(initial);
    if (listing && !sameListingEntry(listingBefore, listing))
      emit(upsert({ kind: "listing", key: id, value: listing }));
    else if (!listing && listingBefore) emit(remove("listing", id));
    if (final?.status === "active")
      emit(upsert({ kind: "summary", key: id, value: summaryOf(final) }));
    else if (initial?.status === "active") emit(remove("summary", id));
    const search = searchOf(final);
    const sameWords =
      initial?.status === "active" &&
      initial.name === final?.name &&
      initial.description === final.description;
    if (search && !sameWords) emit(upsert({ kind: "search", key: id, value: search }));
    else if (!search && initial?.status === "active") emit(remove("search", id));
    // Only a status, name or attribute change moves a facet entry: stock and
    // price changes leave it alone (facet reads take summaries from the listing).
    const attribute = attributeEntryOf(final);
    const attributeBefore = attributeEntryOf(initial);
    if (attribute && !sameAttributeEntry(attributeBefore, attribute))
      emit(upsert({ kind: "attribute", key: id, value: attribute }));
    else if (!attribute && attributeBefore) emit(remove("attribute", id));
  }
  // A rename reaches the page of every product below it, not only the ones the batch touched.
  for (const categoryId of diff.renamedSubtree) {
    for (const id of slice.members.get(categoryId) ?? []) {
      const p = initialProduct(slice, id);
      const page = p && !products.has(id) ? pageOf(p, categories) : null;
      if (page) pages.set(page.slug, page);
    }
  }
  for (const [slug, page] of pages) {
    emit(page ? upsert({ kind: "page", key: slug, value: page }) : remove("page", slug));
  }
}

/**
 * The counters of every category the batch moves, as they stand after it.
 * Only these change; every other category keeps the counters the slice holds.
 *
 * @example
 * nextCounters(slice, diff).get("cat_lamps")?.productCount; // → 3
 */
export function nextCounters(slice: ViewSlice, diff: BatchDiff): Map<string, CategoryCounters> {
  const next = new Map<string, CategoryCounters>();
  const get = (id: string): CategoryCounters => {
    let c = next.get(id);
    if (!c) {
      const base = slice.counters.get(id) ?? zeroCounters(id);
      c = { ...base, prices: base.prices.map((p) => ({ ...p })) };
      next.set(id, c);
    }
    return c;
  };
  for (const id of diff.counterIds) get(id);
  const count = (sign: number) => (c: { categoryId: string; inStock: boolean }) => {
    const direct = get(c.categoryId);
    direct.productCount += sign;
    if (c.inStock) direct.inStockCount += sign;
  };
  diff.removed.forEach(count(-1));
  diff.added.forEach(count(1));
  for (const c of diff.removed) {
    for (const id of ancestorsAndSelf(diff.fold.categories, c.categoryId))
      get(id).totalProductCount--;
  }
  for (const c of diff.added) {
    for (const id of ancestorsAndSelf(diff.fold.categories, c.categoryId))
      get(id).totalProductCount++;
  }
  for (const [key, g] of diff.groups) {
    const c = get(g.categoryId);
    const agg = nextAggregate(
      c.prices.find((p) => p.currency === g.currency),
      g,
      slice.priceRanges.get(key),
    );
    const rest = c.prices.filter((p) => p.currency !== g.currency);
    c.prices = sortPrices(agg ? [...rest, agg] : rest);
  }
  return next;
}

function counterChanges(slice: ViewSlice, diff: BatchDiff, emit: Emit): void {
  const next = nextCounters(slice, diff);
  for (const [id, value] of next) emit(upsert({ kind: "counters", key: id, value }));
  servedChanges(slice, diff, next, emit);
}

/** The stats and navigation records: what those reads answer, rewritten when their inputs change. */
function servedChanges(
  slice: ViewSlice,
  diff: BatchDiff,
  next: ReadonlyMap<string, CategoryCounters>,
  emit: Emit,
): void {
  const { categories } = diff.fold;
  for (const id of diff.statsIds) {
    const category = categories.get(id);
    if (!category) continue;
    const counters = next.get(id) ?? slice.counters.get(id) ?? null;
    emit(upsert({ kind: "stats", key: category.slug, value: categoryStatsOf(category, counters) }));
  }
  if (!diff.navigationChanges) return;
  // The counts of untouched categories come from the tree as it stood.
  const counts = new Map<string, NodeCounts>();
  for (const node of navigationNodes(slice.navigation ?? [])) counts.set(node.id, node);
  for (const [id, c] of next) counts.set(id, c);
  const tree = buildNavigation(categories.values(), counts);
  emit(upsert({ kind: "navigation", key: navigationKey, value: tree }));
}

const kindOrder = new Map(recordKinds.map((k, i) => [k, i]));
const changeKind = (c: RecordChange) => (c.op === "upsert" ? c.record.kind : c.kind);
const changeKey = (c: RecordChange) => (c.op === "upsert" ? c.record.key : c.key);

/**
 * Orders changes by record kind, then key: the same batch always yields the same list.
 *
 * @example
 * changes.sort(compareChanges);
 */
export const compareChanges = (a: RecordChange, b: RecordChange) =>
  (kindOrder.get(changeKind(a)) ?? 0) - (kindOrder.get(changeKind(b)) ?? 0) ||
  compareCodePoints(changeKey(a), changeKey(b));

/**
 * The pure heart of every store: from the current records a batch needs
 * (`needs`) and the batch, the record changes that bring the views to the
 * batch's last seq. One change per record, deterministic order.
 *
 * @example
 * const changes = evolve(slice, events); // → [{ op: "upsert", record: { kind: "page", … } }, …]
 */
export function evolve(slice: ViewSlice, events: readonly StoredEvent[]): RecordChange[] {
  const analysis = analyze(slice, events);
  if (analysis.diff === undefined) {
    throw new Error(
      `evolve called before its needs were loaded: ${JSON.stringify(analysis.needs)}`,
    );
  }
  return changesOfDiff(slice, analysis.diff);
}

/**
 * Every record change of a worked-out diff, in `compareChanges` order: what
 * `evolve` returns once the slice holds all a batch needs.
 *
 * @example
 * changesOfDiff(slice, diffOfFold(slice, categories, fold)); // → [{ op: "upsert", … }, …]
 */
export function changesOfDiff(slice: ViewSlice, diff: BatchDiff): RecordChange[] {
  const out: RecordChange[] = [];
  const emit: Emit = (c) => out.push(c);
  for (const id of new Set([...diff.fold.createdCategories, ...diff.fold.renamedCategories])) {
    const value = diff.fold.categories.get(id);
    if (value) emit(upsert({ kind: "category", key: id, value }));
  }
  productChanges(slice, diff, emit);
  counterChanges(slice, diff, emit);
  return out.sort(compareChanges);
}

/**
 * The current records `evolve` still lacks for this batch; empty once it has
 * all it needs. Call it until it is empty, loading each round.
 *
 * @example
 * needs(events, emptySlice()); // → [{ kind: "categories" }, { kind: "products", ids: ["prd_1"] }]
 */
export function needs(events: readonly StoredEvent[], slice: ViewSlice): Need[] {
  return analyze(slice, events).needs;
}
