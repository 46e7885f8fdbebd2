import type { Category, Product } from "../domain/catalog.ts";
import type {
  CategoryStats,
  ListingSort,
  NavigationNode,
  ProductPage,
  ProductSummary,
} from "../views/readModels.ts";

/**
 * The logical records every view store holds. The projection speaks only in
 * these; a store maps each kind to its own layout (SQL rows, Redis keys) and
 * must be able to give every record back unchanged, because the digest is
 * defined over them. New kinds go last (as "attribute" did), so adding one
 * leaves every other record's place in the digest order alone.
 *
 * Some records are what a read answers, stored as the JSON text the response
 * carries (page, summary, stats, navigation), so a store answers a read
 * without parsing or re-serializing; the others are what the projection
 * evolves and what stores index (product, category, listing, search,
 * counters, attribute).
 */
export const recordKinds = [
  "category",
  "product",
  "page",
  "listing",
  "search",
  "counters",
  "attribute",
  "summary",
  "stats",
  "navigation",
] as const;
export type RecordKind = (typeof recordKinds)[number];

/**
 * What a store indexes an active product's listing rows by; the row's body is
 * the product's `summary` record.
 */
export interface ListingEntry {
  id: string;
  categoryId: string;
  /** stock > 0: the `inStock` filter */
  inStock: boolean;
  /** the price, for a category's min/max per currency */
  currency: string;
  amount: number;
  /**
   * One sort key per listing sort. Ordering entries by a key with plain
   * code-point (UTF-8 byte) comparison gives that sort, ties broken by id, so a
   * store needs no domain knowledge: SQLite's BINARY collation, Redis ZRANGE
   * BYLEX and `compareCodePoints` all agree.
   */
  keys: Record<ListingSort, string>;
}

/** A product's entry in the inverted index: each distinct word and its weight. */
export interface SearchEntry {
  id: string;
  /** sorted by term (code points); weight 2 for a name word, 1 for a description word, summed */
  terms: Array<[term: string, weight: number]>;
}

/**
 * An active product's attributes as the facet filter sees them. Values are
 * compared as text (see `attributeValueText`), so `3`, `"3"` and `true` vs
 * `"true"` land on the same facet value: a query string cannot tell them apart.
 */
export interface AttributeEntry {
  id: string;
  /** the listing's `name` sort key (name words, then the id): facet pages sort by name */
  sortKey: string;
  /** [name, value as text], sorted by name (code points); never empty */
  pairs: Array<[name: string, value: string]>;
}

/** One currency's running price aggregate; `sum` is a decimal string because it can pass 2^53. */
export interface PriceAggregate {
  currency: string;
  count: number;
  sum: string;
  min: number;
  max: number;
}

/** The materialized counters behind category stats and navigation counts. */
export interface CategoryCounters {
  categoryId: string;
  /** active products directly in the category */
  productCount: number;
  inStockCount: number;
  /** active products in the category and every category below it */
  totalProductCount: number;
  /** sorted by currency */
  prices: PriceAggregate[];
}

export interface RecordValues {
  /** the category itself, keyed by id */
  category: Category;
  /** every live product, drafts included, keyed by id: the state later events evolve */
  product: Product;
  /** keyed by slug */
  page: ProductPage;
  /** active products only, keyed by product id */
  listing: ListingEntry;
  /** active products only, keyed by product id */
  search: SearchEntry;
  /** one per category, keyed by category id */
  counters: CategoryCounters;
  /** active products with at least one attribute, keyed by product id */
  attribute: AttributeEntry;
  /** active products only, keyed by product id: a row of every listing and search page */
  summary: ProductSummary;
  /** one per category, keyed by category slug: the stats read's answer */
  stats: CategoryStats;
  /** one record, keyed by `navigationKey`: the category tree with its counts */
  navigation: NavigationNode[];
}

/** The key of the one navigation record. */
export const navigationKey = "tree";

export type ViewRecord = {
  [K in RecordKind]: { kind: K; key: string; value: RecordValues[K] };
}[RecordKind];

/** What `evolve` asks a store to do; a store only translates these into its own writes. */
export type RecordChange =
  | { op: "upsert"; record: ViewRecord }
  | { op: "delete"; kind: RecordKind; key: string };
