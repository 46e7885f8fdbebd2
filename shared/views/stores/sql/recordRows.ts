import type { RecordKind, RecordValues } from "../../../projection/index.ts";
import type { SqlValue } from "./connection.ts";
import type { ViewTables } from "./tables.ts";

// What row(s) each kind of view record is stored as: the one mapping both
// the apply's upserts and a bulk load's plain inserts write through.

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
] as const;

/** @example recordTables(viewTables("")).page; // → { table: "view_page", columns: ["slug", "data"] } */
export const recordTables = (t: ViewTables): Record<RecordKind, RecordTable> => ({
  category: { table: t.category, columns: ["id", "slug", "data"] },
  product: { table: t.product, columns: ["id", "category_id", "data"] },
  page: { table: t.page, columns: ["slug", "data"] },
  listing: { table: t.listing, columns: listingColumns },
  search: { table: t.search, columns: ["product_id", "data"] },
  counters: { table: t.counters, columns: ["category_id", "data"] },
  attribute: { table: t.attribute, columns: ["name", "value", "sort_key", "product_id"] },
  summary: { table: t.summary, columns: ["product_id", "data"] },
  stats: { table: t.stats, columns: ["slug", "data"] },
  navigation: { table: t.navigation, columns: ["key", "data"] },
});

type RowsOf = {
  [K in RecordKind]: (key: string, value: RecordValues[K], json: string) => SqlValue[][];
};

const keyAndJson = (key: string, _value: unknown, json: string): SqlValue[][] => [[key, json]];

const rowsByKind: RowsOf = {
  category: (key, c, json) => [[key, c.slug, json]],
  product: (key, p, json) => [[key, p.categoryId, json]],
  page: keyAndJson,
  listing: (_key, l) => [
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
 * The rows a record is stored as, in its kind's columns (`recordTables`).
 *
 * @example
 * recordRows("page", "desk-lamp", page, '{"slug":"desk-lamp",…}'); // → [["desk-lamp", '{"slug":…}']]
 */
export function recordRows<K extends RecordKind>(
  kind: K,
  key: string,
  value: RecordValues[K],
  json: string,
): SqlValue[][] {
  return (rowsByKind[kind] as (key: string, value: RecordValues[K], json: string) => SqlValue[][])(
    key,
    value,
    json,
  );
}
