import { listingSorts } from "../../readModels.ts";
import type { SqlConnection, SqlDatabase } from "./connection.ts";

/** A connection or the inside of a transaction: what every statement of the store runs on. */
export type ViewSql = SqlConnection;
/** A view database, whatever binding runs it. */
export type ViewDb = SqlDatabase;

/**
 * Bump when this table layout changes. It is part of every namespace's
 * fingerprint (see `shared/views/generations/`), so a new layout is built in
 * a new namespace beside the old one and switched to, never migrated in
 * place. Independent of the primary's drizzle-kit migrations, which never see
 * these tables. A namespace of another layout is never read by this code:
 * until the new generation switches in, it only keeps its watermark moving
 * (`frozenStore`). An added table alone needs no bump (the attribute table
 * was created empty beside a live namespace's others and filled by the new
 * generation its read model version started).
 *
 * 2: served records (summary, stats by slug, navigation) in tables of their
 * own, so reads answer stored JSON text; counters apart from stats; search
 * postings by (word, weight, product) with counts; the digest kept with the
 * watermark, from a hash per record.
 * 3: the listing sort indexes carry the product id (pages read from the index alone).
 * 4: a record stored as one row carries its hash (`h`), so writing it writes
 *    one page, not a second in the hash table, which keeps only the attribute
 *    records' (an adjustStock's apply: 7 pages → 4).
 * 5: no partial in-stock indexes: the sort indexes carry the stock flag (a
 *    product.create's apply: 21 pages → 16).
 * 6: no index of the search postings by product: a product's old postings
 *    are found from its old search record's terms, and a query's probes seek
 *    the postings' own key.
 * 7: a listing row carries its product's summary JSON (`data`), and the
 *    category sort indexes carry it too: a category page is one range scan
 *    of one index, no lookup per item.
 */
export const viewSchemaVersion = 7;

/** The table names of one namespace; every statement of the SQL store takes them from here. */
export interface ViewTables {
  /** "" for the unversioned tables of releases before namespaces */
  readonly namespace: string;
  readonly meta: string;
  readonly category: string;
  readonly product: string;
  readonly page: string;
  readonly listing: string;
  /** one row per active product: its search record */
  readonly search: string;
  /**
   * The inverted index of the search records, impact-ordered: one row per
   * (word, weight, product), so the products holding a word at one weight
   * come in id order.
   */
  readonly searchPosting: string;
  /** how many products hold each (word, weight): which word of a query is rarest */
  readonly searchCount: string;
  readonly counters: string;
  /** one row per attribute pair of an active product: the facet filter */
  readonly attribute: string;
  /** each attribute value's count of active products: what the values read answers */
  readonly attributeCount: string;
  readonly summary: string;
  readonly stats: string;
  readonly navigation: string;
  /** each record's hash (`recordHash`), whose XOR is the digest kept in meta */
  readonly recordHash: string;
  /** every table, in drop order */
  readonly all: readonly string[];
  /** the DDL, idempotent */
  readonly ddl: readonly string[];
}

const namespacePattern = /^[a-z0-9]{0,32}$/;

const ddlOf = (t: Omit<ViewTables, "all" | "ddl">, p: string): string[] => {
  // One index per sort serves a page as a bounded range scan in key order. It
  // carries the product id, so a page reads its rows from the index alone, not
  // from the table by rowid too (a 21-row page: 42 → 33 µs), and the stock
  // flag, so the in-stock filter skips rows inside the same scan. A partial
  // index per sort for that filter (layouts 3 and 4) cost every product a
  // quarter of the pages its apply wrote. Skipping the out-of-stock rows costs
  // an in-stock page a little: the catalog's, 20,000 products 90% in stock,
  // 27 → 35-39 µs; on 100,000 with 95% out of stock, 41 against 28 unfiltered.
  //
  // They also carry the summary JSON, a copy of the product's summary row kept
  // by the apply (`write.ts`): a page is then one range scan of one index
  // instead of a lookup in the summary table per item (a category's first 20
  // on 100,000 products: 30 → 15 µs a statement, a Node reader 10,900 → 15,100
  // pages a second). The price is the apply's: every product event changes its
  // summary (its version), so it rewrites the listing row and these four
  // index entries too (an adjustStock's apply: 740 → 1,130 µs).
  const sortIndexes = listingSorts.map(
    (sort) =>
      `CREATE INDEX IF NOT EXISTS ${p}listing_${sort} ON ${t.listing} (category_id, key_${sort}, product_id, in_stock, data)`,
  );
  // Each table holds one kind of logical record (search records as one row
  // per term); `data` columns hold the record as the JSON text the
  // projection wrote (a read answers it as is), the other columns only what
  // indexes need, and `h` the record's hash, which the digest is kept from
  // (one page per record written, not a second one in a table of hashes).
  const keyed = (table: string, key: string) =>
    `CREATE TABLE IF NOT EXISTS ${table} (${key} TEXT PRIMARY KEY, data TEXT NOT NULL, h TEXT NOT NULL) WITHOUT ROWID`;
  return [
    `CREATE TABLE IF NOT EXISTS ${t.meta} (id INTEGER PRIMARY KEY CHECK (id = 1), watermark INTEGER NOT NULL,
      schema_version INTEGER NOT NULL, digest TEXT NOT NULL DEFAULT '${"0".repeat(32)}')`,
    // the hashes of the records that are no row of their own (attribute)
    `CREATE TABLE IF NOT EXISTS ${t.recordHash} (kind TEXT NOT NULL, key TEXT NOT NULL, h TEXT NOT NULL,
      PRIMARY KEY (kind, key)) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.category} (id TEXT PRIMARY KEY, slug TEXT NOT NULL, data TEXT NOT NULL,
      h TEXT NOT NULL)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${p}category_slug ON ${t.category} (slug)`,
    keyed(t.counters, "category_id"),
    keyed(t.stats, "slug"),
    keyed(t.navigation, "key"),
    `CREATE TABLE IF NOT EXISTS ${t.product} (id TEXT PRIMARY KEY, category_id TEXT NOT NULL, data TEXT NOT NULL,
      h TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${p}product_category ON ${t.product} (category_id)`,
    keyed(t.page, "slug"),
    keyed(t.summary, "product_id"),
    `CREATE TABLE IF NOT EXISTS ${t.listing} (product_id TEXT PRIMARY KEY, category_id TEXT NOT NULL,
      in_stock INTEGER NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
      key_price_asc TEXT NOT NULL, key_price_desc TEXT NOT NULL, key_name TEXT NOT NULL,
      key_newest TEXT NOT NULL, h TEXT NOT NULL, data TEXT NOT NULL)`,
    ...sortIndexes,
    // the stats' price range: cheapest and dearest of a category in one currency
    `CREATE INDEX IF NOT EXISTS ${p}listing_price_range ON ${t.listing} (category_id, currency, amount, product_id)`,
    keyed(t.search, "product_id"),
    `CREATE TABLE IF NOT EXISTS ${t.searchPosting} (term TEXT NOT NULL, weight INTEGER NOT NULL,
      product_id TEXT NOT NULL, PRIMARY KEY (term, weight, product_id)) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.searchCount} (term TEXT NOT NULL, weight INTEGER NOT NULL,
      n INTEGER NOT NULL, PRIMARY KEY (term, weight)) WITHOUT ROWID`,
    // A facet page is a range scan of the primary key in sort-key order (the
    // sort key ends with the product id, so it is unique per name and value);
    // the product index serves replacing a product's rows and the digest walk.
    `CREATE TABLE IF NOT EXISTS ${t.attribute} (name TEXT NOT NULL, value TEXT NOT NULL,
      sort_key TEXT NOT NULL, product_id TEXT NOT NULL, PRIMARY KEY (name, value, sort_key)) WITHOUT ROWID`,
    `CREATE INDEX IF NOT EXISTS ${p}attribute_product ON ${t.attribute} (product_id, name)`,
    `CREATE TABLE IF NOT EXISTS ${t.attributeCount} (name TEXT NOT NULL, value TEXT NOT NULL,
      n INTEGER NOT NULL, PRIMARY KEY (name, value)) WITHOUT ROWID`,
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
    product: `${p}product`,
    page: `${p}page`,
    listing: `${p}listing`,
    search: `${p}search`,
    searchPosting: `${p}search_posting`,
    searchCount: `${p}search_count`,
    counters: `${p}counters`,
    attribute: `${p}attribute`,
    attributeCount: `${p}attribute_count`,
    summary: `${p}summary`,
    stats: `${p}stats`,
    navigation: `${p}navigation`,
    recordHash: `${p}record_hash`,
  };
  const tables: ViewTables = {
    ...names,
    all: [
      names.recordHash,
      names.navigation,
      names.stats,
      names.summary,
      names.attributeCount,
      names.attribute,
      names.counters,
      names.searchCount,
      names.searchPosting,
      names.search,
      names.listing,
      names.page,
      names.product,
      names.category,
      names.meta,
    ],
    ddl: ddlOf(names, p),
  };
  cache.set(namespace, tables);
  return tables;
}
