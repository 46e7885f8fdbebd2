import type { SqlConnection, SqlDatabase } from "./drivers/connection.ts";

/** A connection or the inside of a transaction: what every statement of the store runs on. */
export type ViewSql = SqlConnection;
/** A view database, whatever binding runs it. */
export type ViewDb = SqlDatabase;

/**
 * Bump when this table layout changes. It is part of every namespace's
 * fingerprint (see `shared/views/generations/`), so a new layout is built in
 * a new namespace beside the old one and switched to, never migrated in
 * place. Independent of the primary's drizzle-kit migrations, which never see
 * these tables. Not bumped for the attribute table: an added table is
 * created empty beside a live namespace's others (`CREATE … IF NOT EXISTS`)
 * and filled by the new generation that the new `facets` read model version
 * starts, whereas a bump makes `ensureViewSchema` drop the live namespace's
 * tables when it is opened, before the new generation has caught up.
 */
export const viewSchemaVersion = 1;

/** The table names of one namespace; every statement of the SQL store takes them from here. */
export interface ViewTables {
  /** "" for the unversioned tables of releases before namespaces */
  readonly namespace: string;
  readonly meta: string;
  readonly category: string;
  readonly stats: string;
  readonly product: string;
  readonly page: string;
  readonly listing: string;
  readonly searchTerm: string;
  /** one row per attribute pair of an active product: the facet filter */
  readonly attribute: string;
  /** every table, in drop order */
  readonly all: readonly string[];
  /** the DDL, idempotent */
  readonly ddl: readonly string[];
}

const namespacePattern = /^[a-z0-9]{0,32}$/;

const ddlOf = (t: Omit<ViewTables, "all" | "ddl">, p: string): string[] => {
  const sortIndexes = ["price_asc", "price_desc", "name", "newest"].flatMap((sort) => [
    // one index per sort serves a page as a bounded range scan in key order…
    `CREATE INDEX IF NOT EXISTS ${p}listing_${sort} ON ${t.listing} (category_id, key_${sort})`,
    // …and a partial one does the same for the in-stock filter without skipping rows
    `CREATE INDEX IF NOT EXISTS ${p}listing_${sort}_in_stock ON ${t.listing} (category_id, key_${sort}) WHERE in_stock = 1`,
  ]);
  // Each table holds one kind of logical record (search records as one row
  // per term); `data` columns hold the record as JSON, the other columns only
  // what indexes need.
  return [
    `CREATE TABLE IF NOT EXISTS ${t.meta} (id INTEGER PRIMARY KEY CHECK (id = 1), watermark INTEGER NOT NULL, schema_version INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.category} (id TEXT PRIMARY KEY, slug TEXT NOT NULL, data TEXT NOT NULL)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${p}category_slug ON ${t.category} (slug)`,
    `CREATE TABLE IF NOT EXISTS ${t.stats} (category_id TEXT PRIMARY KEY, data TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.product} (id TEXT PRIMARY KEY, category_id TEXT NOT NULL, data TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${p}product_category ON ${t.product} (category_id)`,
    `CREATE TABLE IF NOT EXISTS ${t.page} (slug TEXT PRIMARY KEY, data TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.listing} (product_id TEXT PRIMARY KEY, category_id TEXT NOT NULL,
      in_stock INTEGER NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
      key_price_asc TEXT NOT NULL, key_price_desc TEXT NOT NULL, key_name TEXT NOT NULL,
      key_newest TEXT NOT NULL, summary TEXT NOT NULL)`,
    ...sortIndexes,
    // the stats' price range: cheapest and dearest of a category in one currency
    `CREATE INDEX IF NOT EXISTS ${p}listing_price_range ON ${t.listing} (category_id, currency, amount, product_id)`,
    `CREATE TABLE IF NOT EXISTS ${t.searchTerm} (term TEXT NOT NULL, product_id TEXT NOT NULL,
      weight INTEGER NOT NULL, PRIMARY KEY (term, product_id)) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS ${p}search_term_product ON ${t.searchTerm} (product_id)`,
    // A facet page is a range scan of the primary key in sort-key order (the
    // sort key ends with the product id, so it is unique per name and value);
    // the product index serves replacing a product's rows and the digest walk.
    `CREATE TABLE IF NOT EXISTS ${t.attribute} (name TEXT NOT NULL, value TEXT NOT NULL,
      sort_key TEXT NOT NULL, product_id TEXT NOT NULL, PRIMARY KEY (name, value, sort_key)) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS ${p}attribute_product ON ${t.attribute} (product_id, name)`,
  ];
};

const cache = new Map<string, ViewTables>();

/**
 * The tables of a namespace: `view_<namespace>_page` and so on, or the
 * unversioned `view_page` of namespace "". Namespaces let a new projection
 * version be built beside the live one in the same database.
 *
 * @example
 * viewTables("g1a2b3c4").page; // → "view_g1a2b3c4_page"
 * viewTables("").page;         // → "view_page"
 */
export function viewTables(namespace = ""): ViewTables {
  const cached = cache.get(namespace);
  if (cached) return cached;
  if (!namespacePattern.test(namespace)) {
    throw new Error(`view namespace "${namespace}" must be up to 32 lowercase letters or digits`);
  }
  const p = namespace === "" ? "view_" : `view_${namespace}_`;
  const names = {
    namespace,
    meta: `${p}meta`,
    category: `${p}category`,
    stats: `${p}stats`,
    product: `${p}product`,
    page: `${p}page`,
    listing: `${p}listing`,
    searchTerm: `${p}search_term`,
    attribute: `${p}attribute`,
  };
  const tables: ViewTables = {
    ...names,
    all: [
      names.attribute,
      names.searchTerm,
      names.listing,
      names.page,
      names.product,
      names.stats,
      names.category,
      names.meta,
    ],
    ddl: ddlOf(names, p),
  };
  cache.set(namespace, tables);
  return tables;
}
