import type { Category, Product } from "../domain/catalog.ts";
import type { NavigationNode } from "../views/readModels.ts";
import { groupKey, type PricePoint, type PriceRange } from "./counters.ts";
import type { CategoryCounters } from "./records.ts";

/**
 * A request for current records, answered by a store before `evolve` runs.
 * Each round of needs is independent, so a remote store answers a whole round
 * in one round trip (one Redis pipeline, one SQL transaction).
 */
export type Need =
  /** every category: the tree is small and every page path needs it */
  | { kind: "categories" }
  /** product records by id; absent ids are simply not returned */
  | { kind: "products"; ids: string[] }
  /** counters (stats records) by category id */
  | { kind: "counters"; categoryIds: string[] }
  /** every product record whose categoryId is one of these: a rename's fan-out */
  | { kind: "members"; categoryIds: string[] }
  /** the `limit` cheapest and dearest listing entries of a category in one currency */
  | { kind: "priceRange"; categoryId: string; currency: string; limit: number }
  /** the navigation record: the product counts of every category, as they stand */
  | { kind: "navigation" };

/** A store's answer to one need: the need itself plus the records found. */
export type Loaded =
  | { kind: "categories"; categories: readonly Category[] }
  | { kind: "products"; ids: string[]; products: Product[] }
  | { kind: "counters"; categoryIds: string[]; counters: CategoryCounters[] }
  | { kind: "members"; categoryIds: string[]; products: Product[] }
  | ({ kind: "priceRange" } & PriceRange)
  | { kind: "navigation"; navigation: NavigationNode[] | null };

/** The current records loaded so far. A key mapped to null is known to be absent. */
export interface ViewSlice {
  categories: ReadonlyMap<string, Category> | null;
  products: ReadonlyMap<string, Product | null>;
  counters: ReadonlyMap<string, CategoryCounters | null>;
  /** category id → ids of its products, for categories whose members were loaded */
  members: ReadonlyMap<string, readonly string[]>;
  priceRanges: ReadonlyMap<string, PriceRange>;
  /** undefined until loaded; null when the store has none yet */
  navigation: NavigationNode[] | null | undefined;
}

/** @example needs(events, emptySlice()); // → [{ kind: "categories" }, …] */
export const emptySlice = (): ViewSlice => ({
  categories: null,
  products: new Map(),
  counters: new Map(),
  members: new Map(),
  priceRanges: new Map(),
  navigation: undefined,
});

const points = (list: PricePoint[]) => list.map(({ id, amount }) => ({ id, amount }));

// A store keeps its category list between applies and hands the same list
// back while no category changes (`CategoryMemo`): its map is made once.
const categoryMaps = new WeakMap<readonly Category[], ReadonlyMap<string, Category>>();
const mapOfCategories = (list: readonly Category[]): ReadonlyMap<string, Category> => {
  let map = categoryMaps.get(list);
  if (!map) {
    map = new Map(list.map((c) => [c.id, c]));
    categoryMaps.set(list, map);
  }
  return map;
};

/**
 * Adds a round of answers to a slice, returning a new slice.
 *
 * @example
 * slice = withLoaded(slice, await store.load(needs(events, slice)));
 */
export function withLoaded(slice: ViewSlice, answers: readonly Loaded[]): ViewSlice {
  let categories = slice.categories;
  const products = new Map(slice.products);
  const counters = new Map(slice.counters);
  const members = new Map(slice.members);
  const priceRanges = new Map(slice.priceRanges);
  let navigation = slice.navigation;
  for (const a of answers) {
    switch (a.kind) {
      case "categories":
        categories = mapOfCategories(a.categories);
        break;
      case "products":
        for (const id of a.ids) if (!products.has(id)) products.set(id, null);
        for (const p of a.products) products.set(p.id, p);
        break;
      case "counters":
        for (const id of a.categoryIds) counters.set(id, null);
        for (const c of a.counters) counters.set(c.categoryId, c);
        break;
      case "members": {
        const ids = new Map<string, string[]>(a.categoryIds.map((id) => [id, []]));
        for (const p of a.products) {
          ids.get(p.categoryId)?.push(p.id);
          if (!products.has(p.id)) products.set(p.id, p);
        }
        for (const [id, list] of ids) members.set(id, list);
        break;
      }
      case "priceRange": {
        const { categoryId, currency, limit } = a;
        priceRanges.set(groupKey(categoryId, currency), {
          categoryId,
          currency,
          limit,
          lowest: points(a.lowest),
          highest: points(a.highest),
        });
        break;
      }
      case "navigation":
        navigation = a.navigation;
        break;
    }
  }
  return { categories, products, counters, members, priceRanges, navigation };
}
