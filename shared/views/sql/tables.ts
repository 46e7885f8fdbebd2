import type { Client, ResultSet } from "@libsql/client";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";

/** Any drizzle libSQL database or transaction, whatever schema its owner gave it. */
export type ViewSql = BaseSQLiteDatabase<"async", ResultSet, Record<string, unknown>>;
/** A drizzle libSQL database (`drizzle(client)`), which also exposes its client. */
export type ViewDb = ViewSql & { $client: Client };

/**
 * Bump when the projection or this layout changes: `ensureViewSchema` then
 * drops the view tables and the views are rebuilt from the log. Independent of
 * the primary's drizzle-kit migrations, which never see these tables.
 */
export const viewSchemaVersion = 1;

/** Every view table, in drop order. */
export const viewTableNames = [
  "view_search_term",
  "view_listing",
  "view_page",
  "view_product",
  "view_stats",
  "view_category",
  "view_meta",
] as const;

const sortIndexes = ["price_asc", "price_desc", "name", "newest"].flatMap((sort) => [
  // one index per sort serves a page as a bounded range scan in key order…
  `CREATE INDEX IF NOT EXISTS view_listing_${sort} ON view_listing (category_id, key_${sort})`,
  // …and a partial one does the same for the in-stock filter without skipping rows
  `CREATE INDEX IF NOT EXISTS view_listing_${sort}_in_stock ON view_listing (category_id, key_${sort}) WHERE in_stock = 1`,
]);

/**
 * The DDL, idempotent. Each table holds one kind of logical record (search
 * records as one row per term); `data` columns hold the record as JSON, the
 * other columns only what indexes need.
 */
export const viewDdl = [
  "CREATE TABLE IF NOT EXISTS view_meta (id INTEGER PRIMARY KEY CHECK (id = 1), watermark INTEGER NOT NULL, schema_version INTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS view_category (id TEXT PRIMARY KEY, slug TEXT NOT NULL, data TEXT NOT NULL)",
  "CREATE UNIQUE INDEX IF NOT EXISTS view_category_slug ON view_category (slug)",
  "CREATE TABLE IF NOT EXISTS view_stats (category_id TEXT PRIMARY KEY, data TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS view_product (id TEXT PRIMARY KEY, category_id TEXT NOT NULL, data TEXT NOT NULL)",
  "CREATE INDEX IF NOT EXISTS view_product_category ON view_product (category_id)",
  "CREATE TABLE IF NOT EXISTS view_page (slug TEXT PRIMARY KEY, data TEXT NOT NULL)",
  `CREATE TABLE IF NOT EXISTS view_listing (product_id TEXT PRIMARY KEY, category_id TEXT NOT NULL,
    in_stock INTEGER NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
    key_price_asc TEXT NOT NULL, key_price_desc TEXT NOT NULL, key_name TEXT NOT NULL,
    key_newest TEXT NOT NULL, summary TEXT NOT NULL)`,
  ...sortIndexes,
  // the stats' price range: cheapest and dearest of a category in one currency
  "CREATE INDEX IF NOT EXISTS view_listing_price_range ON view_listing (category_id, currency, amount, product_id)",
  `CREATE TABLE IF NOT EXISTS view_search_term (term TEXT NOT NULL, product_id TEXT NOT NULL,
    weight INTEGER NOT NULL, PRIMARY KEY (term, product_id)) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS view_search_term_product ON view_search_term (product_id)",
];
