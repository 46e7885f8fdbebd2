import type { Category, Product } from "../domain/catalog.ts";
import { changesOfDiff, type Emit, nextCounters, productChanges } from "./evolve.ts";
import type { FoldResult } from "./fold.ts";
import { diffOfFold } from "./plan.ts";
import {
  type CategoryCounters,
  type RecordChange,
  type RecordKind,
  recordKinds,
  type ViewRecord,
} from "./records.ts";
import type { ViewSlice } from "./slice.ts";
import { compareCodePoints } from "./text.ts";

/**
 * Products derived per diff by default. `nextAggregate` spreads a price
 * group's amounts into `Math.min`, and a spread of some 100,000 arguments
 * overflows V8's stack, so however large a chunk is, no diff holds more.
 */
const defaultProductsPerDiff = 4_096;

export interface BulkRecordsOptions {
  /** products whose records make one chunk */
  chunkSize: number;
  /** runs before each chunk is handed out, so a caller can refuse a state that moved under it */
  check?: () => void;
  /** products per diff inside a chunk; counters add up across diffs, so it changes no record */
  productsPerDiff?: number;
}

/** A fold in which `products` are all new and no category changes. */
const productsFold = (
  categories: ReadonlyMap<string, Category>,
  products: Map<string, Product>,
): FoldResult => ({
  categories: new Map(categories),
  products,
  createdCategories: new Set(),
  renamedCategories: new Set(),
});

const kindIndex = Object.fromEntries(recordKinds.map((k, i) => [k, i])) as Record<
  RecordKind,
  number
>;

function recordOf(change: RecordChange): ViewRecord {
  // Empty views hold nothing to delete: a delete would mean the projection
  // no longer builds from empty, and the views built here would be wrong.
  if (change.op === "delete") {
    throw new Error(`building from empty derived a delete of ${change.kind} ${change.key}`);
  }
  return change.record;
}

/** A code unit that UTF-16 order and code-point order may place differently. */
const surrogateOrAbove = /[\uD800-\uFFFF]/;

/**
 * Ids in code-point order, the order every store keys by. Below U+D800 the
 * two orders agree, and the built-in sort is about twice as fast as one with
 * a comparator: a few hundred milliseconds for a million-event catalog.
 */
function sortedIds(keys: Iterable<string>): string[] {
  const ids = [...keys];
  return ids.some((id) => surrogateOrAbove.test(id)) ? ids.sort(compareCodePoints) : ids.sort();
}

/**
 * Derives every record of `products` (all new, none before) into `emit`, and
 * adds their contributions to `counters`. The slice is empty but for those
 * counters, which is how the incremental projection sees the first batch.
 */
function deriveProducts(
  slice: ViewSlice & { categories: ReadonlyMap<string, Category> },
  counters: Map<string, CategoryCounters>,
  products: Map<string, Product>,
  emit: Emit,
): void {
  const { categories } = slice;
  const diff = diffOfFold(slice, categories, productsFold(categories, products));
  productChanges(slice, diff, emit);
  for (const [id, c] of nextCounters(slice, diff)) counters.set(id, c);
}

/**
 * The records of a folded catalog, derived once: chunks of the records of up
 * to `chunkSize` products (products in id order; in a chunk, by kind, then in
 * their products' order), then the categories with their counters, stats and
 * the navigation tree, which need every product counted first.
 *
 * @example
 * for (const chunk of bulkRecords(categories, products, { chunkSize: 5_000 })) write(chunk);
 */
export function* bulkRecords(
  categories: ReadonlyMap<string, Category>,
  products: ReadonlyMap<string, Product>,
  options: BulkRecordsOptions,
): Generator<ViewRecord[]> {
  const { chunkSize, check = () => {}, productsPerDiff = defaultProductsPerDiff } = options;
  check();
  const counters = new Map<string, CategoryCounters>();
  const slice: ViewSlice & { categories: ReadonlyMap<string, Category> } = {
    categories,
    products: new Map(),
    counters,
    members: new Map(),
    priceRanges: new Map(),
    navigation: null,
  };
  const ids = sortedIds(products.keys());
  for (let start = 0; start < ids.length; start += chunkSize) {
    const end = Math.min(start + chunkSize, ids.length);
    // Bucketed by kind rather than sorted: products come in id order, so each kind's records do too.
    const byKind = recordKinds.map((): ViewRecord[] => []);
    const emit: Emit = (c) => {
      const r = recordOf(c);
      byKind[kindIndex[r.kind]]?.push(r);
    };
    for (let from = start; from < end; from += productsPerDiff) {
      const part = new Map<string, Product>();
      for (let i = from, to = Math.min(from + productsPerDiff, end); i < to; i++) {
        const id = ids[i] as string;
        const p = products.get(id);
        if (p) part.set(id, p);
      }
      deriveProducts(slice, counters, part, emit);
    }
    check();
    // concat rather than flat(): the same array, some 20 times faster (2.4 → 0.12 ms a chunk).
    yield ([] as ViewRecord[]).concat(...byKind);
  }
  // Every category is new to an empty store: its record, counters, stats and a place in the tree.
  const final = diffOfFold(slice, categories, {
    categories: new Map(categories),
    products: new Map(),
    createdCategories: new Set(categories.keys()),
    renamedCategories: new Set(),
  });
  const rest = changesOfDiff(slice, final).map(recordOf);
  check();
  if (rest.length > 0) yield rest;
}
