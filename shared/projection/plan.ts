import type { Category, Product } from "../domain/catalog.ts";
import type { StoredEvent } from "../events/types.ts";
import {
  ancestorsAndSelf,
  type Contribution,
  contributionOf,
  type GroupChange,
  groupKey,
  needsRange,
  sameContribution,
} from "./counters.ts";
import { type FoldResult, foldEntities, productIdsOf } from "./fold.ts";
import type { Need, ViewSlice } from "./slice.ts";

/** What a batch changes, worked out from a slice that holds what it needs. */
export interface BatchDiff {
  fold: FoldResult;
  initialCategories: ReadonlyMap<string, Category>;
  /** contributions to counters that the batch takes away and adds */
  removed: Contribution[];
  added: Contribution[];
  /** categories whose counters change: those of every contribution, their ancestors, new ones */
  counterIds: Set<string>;
  /** renamed categories and everything below them: their product pages show the new name */
  renamedSubtree: Set<string>;
  groups: Map<string, GroupChange>;
  /** categories whose `stats` record changes: new counters, a new name, a new category */
  statsIds: Set<string>;
  /** the tree or a product count in it changes: the navigation record is rewritten */
  navigationChanges: boolean;
}

export type Analysis = { needs: Need[]; diff?: undefined } | { needs: []; diff: BatchDiff };

/**
 * The product as it was before the batch.
 *
 * @example
 * initialProduct(slice, "prd_1")?.status; // → "draft"
 */
export const initialProduct = (slice: ViewSlice, id: string): Product | null =>
  slice.products.get(id) ?? null;

function subtreeOf(
  categories: ReadonlyMap<string, Category>,
  roots: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  // most batches rename no category: no tree to build
  if (roots.size === 0) return out;
  const children = new Map<string, string[]>();
  for (const c of categories.values()) {
    if (c.parentId === null) continue;
    const list = children.get(c.parentId);
    if (list) list.push(c.id);
    else children.set(c.parentId, [c.id]);
  }
  const stack = [...roots];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * Price groups (category × currency) the batch changes. A product that only
 * changed stock stays in its group at the same price, so it is left out: it
 * cannot move a min or max, and must not trigger a price-range load.
 */
function groupsOf(removed: Contribution[], added: Contribution[]): Map<string, GroupChange> {
  const samePrice = (a: Contribution, b: Contribution | undefined) =>
    b !== undefined &&
    a.categoryId === b.categoryId &&
    a.currency === b.currency &&
    a.amount === b.amount;
  const addedById = new Map(added.map((c) => [c.id, c]));
  const removedById = new Map(removed.map((c) => [c.id, c]));
  const groups = new Map<string, GroupChange>();
  const group = (c: Contribution) => {
    const key = groupKey(c.categoryId, c.currency);
    const g = groups.get(key) ?? {
      categoryId: c.categoryId,
      currency: c.currency,
      removed: [],
      added: [],
    };
    groups.set(key, g);
    return g;
  };
  for (const c of removed) if (!samePrice(c, addedById.get(c.id))) group(c).removed.push(c);
  for (const c of added) if (!samePrice(c, removedById.get(c.id))) group(c).added.push(c);
  return groups;
}

/**
 * What a folded batch changes, against the slice the fold started from (its
 * products) and the categories as they stood before it. `analyze` folds the
 * batch's events; a bulk build hands in a fold of its own.
 *
 * @example
 * const diff = diffOfFold(slice, categories, foldEntities(categories, slice.products, events));
 * diff.navigationChanges; // → true after a new category
 */
export function diffOfFold(
  slice: ViewSlice,
  categories: ReadonlyMap<string, Category>,
  fold: FoldResult,
): BatchDiff {
  const removed: Contribution[] = [];
  const added: Contribution[] = [];
  // Counts move only when a product enters, leaves or changes its category.
  let countsMove = false;
  for (const [id, final] of fold.products) {
    const before = contributionOf(initialProduct(slice, id));
    const after = contributionOf(final);
    if (sameContribution(before, after)) continue;
    if (before) removed.push(before);
    if (after) added.push(after);
    if (before?.categoryId !== after?.categoryId) countsMove = true;
  }
  const counterIds = new Set(fold.createdCategories);
  for (const c of [...removed, ...added]) {
    for (const id of ancestorsAndSelf(fold.categories, c.categoryId)) counterIds.add(id);
  }
  const treeChanges = fold.createdCategories.size > 0 || fold.renamedCategories.size > 0;
  return {
    fold,
    initialCategories: categories,
    removed,
    added,
    counterIds,
    renamedSubtree: subtreeOf(fold.categories, fold.renamedCategories),
    groups: groupsOf(removed, added),
    statsIds: new Set([...counterIds, ...fold.renamedCategories]),
    navigationChanges: treeChanges || countsMove,
  };
}

function secondRoundNeeds(slice: ViewSlice, diff: BatchDiff): Need[] {
  const existed = (id: string) => diff.initialCategories.has(id);
  const counters = [...diff.statsIds].filter((id) => existed(id) && !slice.counters.has(id));
  const members = [...diff.renamedSubtree].filter((id) => existed(id) && !slice.members.has(id));
  const needs: Need[] = [];
  if (counters.length > 0) needs.push({ kind: "counters", categoryIds: counters.sort() });
  if (members.length > 0) needs.push({ kind: "members", categoryIds: members.sort() });
  if (diff.navigationChanges && slice.navigation === undefined) needs.push({ kind: "navigation" });
  return needs;
}

function rangeNeeds(slice: ViewSlice, diff: BatchDiff): Need[] {
  const needs: Need[] = [];
  for (const [key, g] of diff.groups) {
    const old = slice.counters.get(g.categoryId)?.prices.find((p) => p.currency === g.currency);
    if (!needsRange(old, g)) continue;
    const limit = g.removed.length + 1;
    if ((slice.priceRanges.get(key)?.limit ?? 0) >= limit) continue;
    needs.push({ kind: "priceRange", categoryId: g.categoryId, currency: g.currency, limit });
  }
  return needs;
}

/**
 * Works out what a batch needs loaded, and once nothing is missing, what it
 * changes. Rounds: (1) categories and the products the events name; (2) the
 * counters they touch or rename, a rename's members, and the navigation
 * record when the tree or its counts change; (3) price ranges, only when a
 * product holding a category's min or max price leaves it.
 *
 * @example
 * const a = analyze(slice, events);
 * if (a.needs.length > 0) slice = withLoaded(slice, await load(a.needs));
 */
export function analyze(slice: ViewSlice, events: readonly StoredEvent[]): Analysis {
  const first: Need[] = [];
  if (slice.categories === null) first.push({ kind: "categories" });
  const ids = productIdsOf(events).filter((id) => !slice.products.has(id));
  if (ids.length > 0) first.push({ kind: "products", ids: ids.sort() });
  if (first.length > 0 || slice.categories === null) return { needs: first };
  const fold = foldEntities(slice.categories, slice.products, events);
  const diff = diffOfFold(slice, slice.categories, fold);
  const second = secondRoundNeeds(slice, diff);
  if (second.length > 0) return { needs: second };
  const third = rangeNeeds(slice, diff);
  if (third.length > 0) return { needs: third };
  return { needs: [], diff };
}
