import type { RecordKind, RecordValues } from "../../../projection/index.ts";
import type { SqlValue } from "./connection.ts";
import type { ViewTables } from "./tables.ts";

// What row(s) each kind of view record is stored as: the one mapping both
// the apply's upserts and a bulk load's plain inserts write through. A record
// stored as one row carries its hash (`recordHash`) as the row's last column,
// so writing a record writes its hash on the same page; the attribute record,
// stored as a row per pair (or none), keeps its hash in the hash table.

/** A record kind's table and its columns, the key first. */
export interface RecordTable {
  table: string;
  columns: readonly string[];
}

const listingColumns = [
  "product_id",
  "category_id",
  "in_stock",
  "currency",
  "amount",
  "key_price_asc",
  "key_price_desc",
  "key_name",
  "key_newest",
  "h",
] as const;

/**
 * The listing table's copy of each listed product's summary JSON (layout 7,
 * `tables.ts`): part of no record, so not among the listing's columns here;
 * the apply (`write.ts`) and a bulk load (`bulkLoad.ts`) keep it.
 */
export const listingSummaryColumn = "data";

/** @example recordTables(viewTables("")).page; // → { table: "view_page", columns: ["slug", "data", "h"] } */
export const recordTables = (t: ViewTables): Record<RecordKind, RecordTable> => ({
  category: { table: t.category, columns: ["id", "slug", "data", "h"] },
  product: { table: t.product, columns: ["id", "category_id", "data", "h"] },
  page: { table: t.page, columns: ["slug", "data", "h"] },
  listing: { table: t.listing, columns: listingColumns },
  search: { table: t.search, columns: ["product_id", "data", "h"] },
  counters: { table: t.counters, columns: ["category_id", "data", "h"] },
  attribute: { table: t.attribute, columns: ["name", "value", "sort_key", "product_id"] },
  summary: { table: t.summary, columns: ["product_id", "data", "h"] },
  stats: { table: t.stats, columns: ["slug", "data", "h"] },
  navigation: { table: t.navigation, columns: ["key", "data", "h"] },
});

/** Whether a kind's record is one row holding its own hash (all but attribute). */
export const hashInRow = (kind: RecordKind): boolean => kind !== "attribute";

type RowsOf = {
  [K in RecordKind]: (key: string, value: RecordValues[K], json: string, h: string) => SqlValue[][];
};

const keyAndJson = (key: string, _value: unknown, json: string, h: string): SqlValue[][] => [
  [key, json, h],
];

const rowsByKind: RowsOf = {
  category: (key, c, json, h) => [[key, c.slug, json, h]],
  product: (key, p, json, h) => [[key, p.categoryId, json, h]],
  page: keyAndJson,
  listing: (_key, l, _json, h) => [
    [
      l.id,
      l.categoryId,
      l.inStock ? 1 : 0,
      l.currency,
      l.amount,
      l.keys.price_asc,
      l.keys.price_desc,
      l.keys.name,
      l.keys.newest,
      h,
    ],
  ],
  search: keyAndJson,
  counters: keyAndJson,
  // the facet filter's rows: one per attribute pair; the record itself is not stored
  attribute: (_key, a) => a.pairs.map(([name, value]) => [name, value, a.sortKey, a.id]),
  summary: keyAndJson,
  stats: keyAndJson,
  navigation: keyAndJson,
};

/**
 * The rows a record is stored as, in its kind's columns (`recordTables`);
 * `h` is its `recordHash`, which a one-row record carries.
 *
 * @example
 * recordRows("page", "desk-lamp", page, '{"slug":"desk-lamp",…}', "9f…"); // → [["desk-lamp", '{"slug":…}', "9f…"]]
 */
export function recordRows<K extends RecordKind>(
  kind: K,
  key: string,
  value: RecordValues[K],
  json: string,
  h: string,
): SqlValue[][] {
  const rows = rowsByKind[kind] as (
    key: string,
    value: RecordValues[K],
    json: string,
    h: string,
  ) => SqlValue[][];
  return rows(key, value, json, h);
}
