import {
  type AttributeEntry,
  type ListingEntry,
  type RecordChange,
  type RecordKind,
  type RecordValues,
  recordKinds,
} from "../../projection/index.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

type Upserts = { [K in RecordKind]: Array<RecordValues[K]> };
type Deletes = Record<RecordKind, string[]>;

// Rows travel as one JSON parameter per statement and SQLite unpacks them with
// json_each: one prepare and one bind per table and batch instead of one per
// row, which is what makes a 1,000-event batch cheap. `WHERE true` is SQLite's
// required disambiguation between INSERT … SELECT and ON CONFLICT.

interface ChangeStatements {
  delete: Record<RecordKind, string>;
  upsert: Record<RecordKind, string>;
}

const statementsOf = (t: ViewTables): ChangeStatements => ({
  delete: {
    category: `DELETE FROM ${t.category} WHERE id IN (SELECT value FROM json_each(?))`,
    product: `DELETE FROM ${t.product} WHERE id IN (SELECT value FROM json_each(?))`,
    page: `DELETE FROM ${t.page} WHERE slug IN (SELECT value FROM json_each(?))`,
    listing: `DELETE FROM ${t.listing} WHERE product_id IN (SELECT value FROM json_each(?))`,
    search: `DELETE FROM ${t.searchTerm} WHERE product_id IN (SELECT value FROM json_each(?))`,
    stats: `DELETE FROM ${t.stats} WHERE category_id IN (SELECT value FROM json_each(?))`,
    attribute: `DELETE FROM ${t.attribute} WHERE product_id IN (SELECT value FROM json_each(?))`,
  },
  upsert: {
    category: `INSERT INTO ${t.category} (id, slug, data)
      SELECT value->>'id', value->>'slug', value FROM json_each(?) WHERE true
      ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, data = excluded.data`,
    stats: `INSERT INTO ${t.stats} (category_id, data)
      SELECT value->>'categoryId', value FROM json_each(?) WHERE true
      ON CONFLICT (category_id) DO UPDATE SET data = excluded.data`,
    product: `INSERT INTO ${t.product} (id, category_id, data)
      SELECT value->>'id', value->>'categoryId', value FROM json_each(?) WHERE true
      ON CONFLICT (id) DO UPDATE SET category_id = excluded.category_id, data = excluded.data`,
    page: `INSERT INTO ${t.page} (slug, data)
      SELECT value->>'slug', value FROM json_each(?) WHERE true
      ON CONFLICT (slug) DO UPDATE SET data = excluded.data`,
    listing: `INSERT INTO ${t.listing} (product_id, category_id, in_stock, currency, amount,
        key_price_asc, key_price_desc, key_name, key_newest, summary)
      SELECT value->>0, value->>1, value->>2, value->>3, value->>4,
        value->>5, value->>6, value->>7, value->>8, value->>9 FROM json_each(?) WHERE true
      ON CONFLICT (product_id) DO UPDATE SET category_id = excluded.category_id,
        in_stock = excluded.in_stock, currency = excluded.currency, amount = excluded.amount,
        key_price_asc = excluded.key_price_asc, key_price_desc = excluded.key_price_desc,
        key_name = excluded.key_name, key_newest = excluded.key_newest, summary = excluded.summary`,
    search: `INSERT INTO ${t.searchTerm} (term, product_id, weight)
      SELECT value->>0, value->>1, value->>2 FROM json_each(?)`,
    attribute: `INSERT INTO ${t.attribute} (name, value, sort_key, product_id)
      SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`,
  },
});

const statementCache = new WeakMap<ViewTables, ChangeStatements>();
const statementsFor = (t: ViewTables): ChangeStatements => {
  let statements = statementCache.get(t);
  if (!statements) {
    statements = statementsOf(t);
    statementCache.set(t, statements);
  }
  return statements;
};

const listingRow = (l: ListingEntry) => [
  l.id,
  l.categoryId,
  l.inStock ? 1 : 0,
  l.summary.price.currency,
  l.summary.price.amount,
  l.keys.price_asc,
  l.keys.price_desc,
  l.keys.name,
  l.keys.newest,
  JSON.stringify(l.summary),
];

const attributeRows = (a: AttributeEntry) =>
  a.pairs.map(([name, value]) => [name, value, a.sortKey, a.id]);

const rowsOf = (u: Upserts): Record<RecordKind, unknown[]> => ({
  category: u.category,
  stats: u.stats,
  product: u.product,
  page: u.page,
  listing: u.listing.map(listingRow),
  search: u.search.flatMap((s) => s.terms.map(([term, weight]) => [term, s.id, weight])),
  attribute: u.attribute.flatMap(attributeRows),
});

/**
 * Turns record changes into statements: one delete and one upsert per table,
 * rows passed as JSON. No domain logic: every value comes ready from the
 * projection.
 *
 * @example
 * await writeChanges(tx, await projectBatch(events, (needs) => loadNeeds(tx, needs)));
 */
export async function writeChanges(
  tx: ViewSql,
  changes: readonly RecordChange[],
  t: ViewTables = viewTables(),
): Promise<void> {
  const statements = statementsFor(t);
  const u = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Upserts;
  const d = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Deletes;
  for (const c of changes) {
    if (c.op === "delete") d[c.kind].push(c.key);
    else (u[c.record.kind] as unknown[]).push(c.record.value);
  }
  // A product's search terms and attribute pairs are replaced wholesale, so
  // clear them for upserts too.
  d.search.push(...u.search.map((s) => s.id));
  d.attribute.push(...u.attribute.map((a) => a.id));
  const rows = rowsOf(u);
  for (const kind of recordKinds) {
    for (const part of slices(d[kind]))
      await tx.run(statements.delete[kind], [JSON.stringify(part)]);
  }
  for (const kind of recordKinds) {
    for (const part of slices(rows[kind])) {
      await tx.run(statements.upsert[kind], [JSON.stringify(part)]);
    }
  }
}

/** Rows per statement: a rename's fan-out stays a few MB of JSON per statement, not one huge one. */
const sliceSize = 5_000;
const slices = <T>(list: T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / sliceSize) }, (_, i) =>
    list.slice(i * sliceSize, (i + 1) * sliceSize),
  );
