import { digestOfSum, ViewDigest, zeroHash } from "../../../digest/index.ts";
import {
  type AttributeEntry,
  type ListingEntry,
  type RecordKind,
  recordKinds,
  type ViewRecord,
} from "../../../projection/index.ts";
import type { DigestAt } from "../../viewStore.ts";
import type { SqlRow, SqlValue } from "./connection.ts";
import { type ViewDb, type ViewSql, type ViewTables, viewTables } from "./tables.ts";

type Row = SqlRow;
type Query = (after: Row | null) => { sql: string; args: SqlValue[] };

const pageRows = 1_000;

/** Reads a table in key order, a page at a time, so 100,000 products never sit in memory at once. */
async function* rowsInOrder(t: ViewSql, query: Query): AsyncGenerator<Row> {
  let after: Row | null = null;
  for (;;) {
    const { sql, args } = query(after);
    const rows = await t.all(sql, args);
    yield* rows;
    if (rows.length < pageRows) return;
    after = rows.at(-1) ?? null;
  }
}

const byKey =
  (table: string, key: string, columns: string): Query =>
  (after) => ({
    sql: `SELECT ${key} AS k, ${columns} FROM ${table} ${after ? `WHERE ${key} > ?` : ""} ORDER BY ${key} LIMIT ${pageRows}`,
    args: after ? [String(after.k)] : [],
  });

const listingOf = (r: Row): ListingEntry => ({
  id: String(r.k),
  categoryId: String(r.category_id),
  inStock: Number(r.in_stock) === 1,
  currency: String(r.currency),
  amount: Number(r.amount),
  keys: {
    price_asc: String(r.key_price_asc),
    price_desc: String(r.key_price_desc),
    name: String(r.key_name),
    newest: String(r.key_newest),
  },
});

async function* attributeRecords(t: ViewSql, v: ViewTables): AsyncGenerator<ViewRecord> {
  let entry: AttributeEntry | null = null;
  const rows = rowsInOrder(t, (after) => ({
    sql: `SELECT product_id AS k, name, value, sort_key FROM ${v.attribute}
      ${after ? "WHERE (product_id, name) > (?, ?)" : ""} ORDER BY product_id, name LIMIT ${pageRows}`,
    args: after ? [String(after.k), String(after.name)] : [],
  }));
  for await (const r of rows) {
    if (entry?.id !== String(r.k)) {
      if (entry) yield { kind: "attribute", key: entry.id, value: entry };
      entry = { id: String(r.k), sortKey: String(r.sort_key), pairs: [] };
    }
    entry.pairs.push([String(r.name), String(r.value)]);
  }
  if (entry) yield { kind: "attribute", key: entry.id, value: entry };
}

/** The records of a kind kept whole as JSON in a table: the table and its key column. */
const jsonTables = (v: ViewTables): Partial<Record<RecordKind, [string, string]>> => ({
  category: [v.category, "id"],
  product: [v.product, "id"],
  page: [v.page, "slug"],
  search: [v.search, "product_id"],
  counters: [v.counters, "category_id"],
  summary: [v.summary, "product_id"],
  stats: [v.stats, "slug"],
  navigation: [v.navigation, "key"],
});

const listingColumns =
  "category_id, in_stock, currency, amount, key_price_asc, key_price_desc, key_name, key_newest";

function recordsOf(t: ViewSql, v: ViewTables, kind: RecordKind): AsyncGenerator<ViewRecord> {
  if (kind === "attribute") return attributeRecords(t, v);
  if (kind === "listing") {
    return (async function* () {
      for await (const r of rowsInOrder(t, byKey(v.listing, "product_id", listingColumns))) {
        yield { kind: "listing", key: String(r.k), value: listingOf(r) };
      }
    })();
  }
  const [table, key] = jsonTables(v)[kind] ?? [];
  if (!table || !key) throw new Error(`no table holds ${kind} records`);
  return (async function* () {
    for await (const r of rowsInOrder(t, byKey(table, key, "data"))) {
      yield { kind, key: String(r.k), value: JSON.parse(String(r.data)) } as ViewRecord;
    }
  })();
}

/** Every view record (by kind, then key), rebuilt from the tables. */
async function* allRecords(t: ViewSql, v: ViewTables): AsyncGenerator<ViewRecord> {
  for (const kind of recordKinds) yield* recordsOf(t, v, kind);
}

/**
 * The digest (`shared/digest`) of the SQL views from every record, read in one
 * read transaction so it belongs to one watermark; WAL keeps writers going
 * meanwhile. What `?fresh=1` asks for: it equals the kept digest unless the
 * tables were changed behind the store's back.
 *
 * @example
 * await walkedDigest(db); // → "3f1c…" (64 hex digits)
 */
export function walkedDigest(db: ViewDb, v: ViewTables = viewTables()): Promise<DigestAt> {
  return db.transaction("read", async (t) => {
    const [row] = await t.all<{ w: number }>(`SELECT watermark AS w FROM ${v.meta} WHERE id = 1`);
    const digest = new ViewDigest();
    for await (const record of allRecords(t, v)) digest.add(record);
    return { watermark: Number(row?.w ?? 0), digest: await digest.finish() };
  });
}

/**
 * The digest kept with the watermark, updated by every apply: one row read.
 *
 * @example
 * await keptDigest(db.reader); // → "3f1c…" (64 hex digits)
 */
export async function keptDigest(db: ViewSql, v: ViewTables = viewTables()): Promise<DigestAt> {
  const [row] = await db.all<{ w: number; sum: string }>(
    `SELECT watermark AS w, digest AS sum FROM ${v.meta} WHERE id = 1`,
  );
  return {
    watermark: Number(row?.w ?? 0),
    digest: await digestOfSum(String(row?.sum ?? zeroHash)),
  };
}
