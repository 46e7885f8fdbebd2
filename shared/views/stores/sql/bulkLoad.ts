import { HashSum, recordHash, zeroHash } from "../../../digest/index.ts";
import type { RecordKind, ViewRecord } from "../../../projection/records.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import type { SqlValue } from "./connection.ts";
import {
  hashInRow,
  listingSummaryColumn,
  type RecordTable,
  recordRows,
  recordTables,
} from "./recordRows.ts";
import { ensureViewSchema } from "./schema.ts";
import type { ViewSql, ViewTables } from "./tables.ts";

/** Runs `fn` in a write transaction of the store's database (`writeTransaction`, or a primary's writer). */
export type WriteIn = <T>(fn: (tx: ViewSql) => Promise<T>) => Promise<T>;

/** Rows per multi-row INSERT: far under SQLite's bound-parameter limit at the widest table's 11 columns. */
const maxRowsPerInsert = 200;

/** How a database takes a bulk load. */
export interface BulkLoadTuning {
  /**
   * page cache of the loading connection: rows arrive in the products' order,
   * not each table's, and with SQLite's 2 MiB default an insert into a large
   * table reads and writes pages back through the WAL
   */
  cacheKib?: number;
  /**
   * page cache while the load sorts (the staged rows, the postings, the
   * indexes): SQLite's sorter keeps runs of up to the cache's size in memory
   * and merges them from a temporary file, and small runs sort faster. On the
   * 1,000,000-event history the postings took 1.9 s at 8 MiB against 2.6 at
   * 64, the posting index 0.7 against 0.9.
   */
  sortCacheKib?: number;
  /** false where PRAGMA is refused (D1) */
  pragmas?: boolean;
  /** bound values a statement may carry: D1 takes 100 */
  maxBoundValues?: number;
}

/**
 * Inserts rows with bound values, as many to a statement as the bound-value
 * limit allows (200 at most): a bulk load's records go in as they are, not as
 * JSON text SQLite parses again.
 */
async function insertRows(
  tx: ViewSql,
  into: string,
  width: number,
  rows: readonly SqlValue[][],
  maxBoundValues = 32_766,
): Promise<void> {
  const rowsPerInsert = Math.max(1, Math.min(maxRowsPerInsert, Math.floor(maxBoundValues / width)));
  const tuple = `(${Array.from({ length: width }, () => "?").join(", ")})`;
  const full = `INSERT INTO ${into} VALUES ${Array.from({ length: rowsPerInsert }, () => tuple).join(", ")}`;
  let i = 0;
  for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) {
    await tx.run(full, rows.slice(i, i + rowsPerInsert).flat());
  }
  for (; i < rows.length; i++) await tx.run(`INSERT INTO ${into} VALUES ${tuple}`, rows[i]);
}

/** Rows in their primary key's order (near enough: UTF-16 order), so inserts walk the B-tree instead of hopping. */
const byKey = (a: readonly SqlValue[], b: readonly SqlValue[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * Kinds whose rows are keyed by something other than their product (the
 * facet rows, by attribute name and value). Inserted chunk by chunk they land
 * all over their table, so every chunk rewrites most of its pages: on the
 * 1,000,000-event history their 200,000 rows took 1.0 s and a third of the
 * chunks' commits. Each chunk appends them to a staging table instead, and
 * they go into theirs once, sorted, after the last chunk: a table rather
 * than memory, where holding them raised the load's peak RSS by 45 MiB.
 */
const stagedKinds: ReadonlySet<RecordKind> = new Set(["attribute"]);

/** Where a staged kind's rows wait for the end of the load: a plain table in the namespace, dropped after. */
const stagingOf = ({ table, columns }: RecordTable): RecordTable => ({
  table: `${table}_load`,
  columns,
});

/** Staged rows per statement, each statement's one bound JSON text kept far under D1's 2 MB value limit. */
const stagedRowsPerInsert = 500;

/**
 * Appends rows to a staging table as JSON text, one bound value for many
 * rows: binding each value is most of what a small row costs to insert.
 */
async function stageRows(
  tx: ViewSql,
  { table, columns }: RecordTable,
  rows: readonly SqlValue[][],
): Promise<void> {
  const values = columns.map((_, i) => `value ->> ${i}`).join(", ");
  for (let i = 0; i < rows.length; i += stagedRowsPerInsert) {
    await tx.run(`INSERT INTO ${table} SELECT ${values} FROM json_each(?)`, [
      JSON.stringify(rows.slice(i, i + stagedRowsPerInsert)),
    ]);
  }
}

/**
 * Appends to each listing row its product's summary JSON (layout 7): a chunk
 * holds every record of its products, the summary beside the listing entry.
 */
function withSummaries(listingRows: SqlValue[][], summaryJson: ReadonlyMap<string, string>): void {
  for (const row of listingRows) {
    const json = summaryJson.get(String(row[0]));
    if (json === undefined) {
      throw new Error(`listing ${String(row[0])} came without its product's summary in the chunk`);
    }
    row.push(json);
  }
}

/**
 * One chunk of a bulk load: every record's rows, a one-row record's with its
 * hash and an attribute record's hash in the hash table. Returns the hashes'
 * sum, which the caller adds once the transaction commits, so a retried
 * transaction does not count a chunk twice. The staged kinds' rows, the
 * search postings and the counts come after the last chunk (`derivedRows`).
 */
async function insertFresh(
  tx: ViewSql,
  records: readonly ViewRecord[],
  t: ViewTables,
  maxBoundValues?: number,
): Promise<string> {
  const tables = recordTables(t);
  const rows = new Map<RecordKind, SqlValue[][]>();
  const hashes: SqlValue[][] = [];
  const summaryJson = new Map<string, string>();
  const sum = new HashSum();
  for (const r of records) {
    const json = JSON.stringify(r.value);
    const h = recordHash(r.kind, r.key, json);
    sum.add(h);
    if (r.kind === "summary") summaryJson.set(r.key, json);
    if (!hashInRow(r.kind)) hashes.push([r.kind, r.key, h]);
    const list = rows.get(r.kind) ?? [];
    rows.set(r.kind, list);
    for (const row of recordRows(r.kind, r.key, r.value as never, json, h)) list.push(row);
  }
  withSummaries(rows.get("listing") ?? [], summaryJson);
  for (const [kind, list] of rows) {
    if (stagedKinds.has(kind)) {
      await stageRows(tx, stagingOf(tables[kind]), list);
      continue;
    }
    const { table } = tables[kind];
    const columns =
      kind === "listing" ? [...tables[kind].columns, listingSummaryColumn] : tables[kind].columns;
    list.sort(byKey);
    await insertRows(tx, `${table} (${columns.join(", ")})`, columns.length, list, maxBoundValues);
  }
  hashes.sort(byKey);
  await insertRows(tx, `${t.recordHash} (kind, key, h)`, 3, hashes, maxBoundValues);
  return sum.toString();
}

/**
 * What waits for the last chunk, written once after it: the staged rows in
 * their key's order; the search postings from the search records' terms,
 * sorted once by SQLite and inserted in key order (a chunk's postings land
 * all over the posting table, so each chunk rewrote most of its pages: the
 * 1,000,000-event history's SQL rebuild took 20.5 s that way, 15 s this
 * way); and the counts of postings and attribute values from the rows, each
 * a scan in key order.
 */
async function derivedRows(tx: ViewSql, t: ViewTables): Promise<void> {
  const tables = recordTables(t);
  for (const kind of stagedKinds) {
    const { table, columns } = tables[kind];
    const staging = stagingOf(tables[kind]).table;
    // every column, so the order is `byKey`'s: the primary key's, then the rest
    const list = columns.join(", ");
    await tx.run(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${staging} ORDER BY ${list}`);
    await tx.run(`DROP TABLE ${staging}`);
  }
  await tx.run(`INSERT INTO ${t.searchPosting} (term, weight, product_id)
    SELECT j.value ->> 0, j.value ->> 1, s.product_id
    FROM ${t.search} s, json_each(s.data, '$.terms') j ORDER BY 1, 2, 3`);
  await tx.run(`INSERT INTO ${t.searchCount} (term, weight, n)
    SELECT term, weight, count(*) FROM ${t.searchPosting} GROUP BY term, weight`);
  await tx.run(`INSERT INTO ${t.attributeCount} (name, value, n)
    SELECT name, value, count(*) FROM ${t.attribute} GROUP BY name, value`);
}

/** The namespace's own indexes, as `sqlite_master` names them (not the primary keys' automatic ones). */
async function secondaryIndexes(tx: ViewSql, t: ViewTables): Promise<string[]> {
  const rows = await tx.all<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
     AND tbl_name IN (SELECT value FROM json_each(?))`,
    [JSON.stringify(t.all)],
  );
  return rows.map((r) => String(r.name));
}

/**
 * Loads a bulk fold's records (`createBulkFold().records()`) into a
 * namespace nobody reads yet, at watermark 0 (or left mid-load by a crash):
 * the first transaction empties it, drops its secondary indexes, makes its
 * staging tables and marks it loading; each chunk is one transaction of
 * plain inserts (bound values, no JSON to parse again, no old rows to look
 * for); the next to last moves the staged rows in and derives the postings
 * and counts, the last recreates the indexes and writes the watermark. A
 * crash leaves the namespace marked loading, which no apply touches and the
 * next load redoes.
 *
 * @example
 * await bulkLoadSql(write, viewTables(namespace), bulk.records(), bulk.watermark);
 */
export async function bulkLoadSql(
  write: WriteIn,
  t: ViewTables,
  chunks: Iterable<readonly ViewRecord[]>,
  watermark: number,
  tuning: BulkLoadTuning = {},
): Promise<void> {
  const { cacheKib = 65_536, sortCacheKib = 8_192, pragmas = true, maxBoundValues } = tuning;
  await write(async (tx) => {
    const [meta] = await tx.all<{ w: number }>(`SELECT watermark AS w FROM ${t.meta} WHERE id = 1`);
    const at = Number(meta?.w ?? 0);
    if (at !== 0 && at !== bulkLoadingWatermark) {
      throw new Error(
        `a bulk load needs views nobody has applied to; ${t.namespace || "the default namespace"} is at seq ${at}`,
      );
    }
    for (const index of await secondaryIndexes(tx, t)) await tx.run(`DROP INDEX ${index}`);
    for (const table of t.all) if (table !== t.meta) await tx.run(`DELETE FROM ${table}`);
    const tables = recordTables(t);
    for (const kind of stagedKinds) {
      // a load a crash cut short left its staging table: start it over
      const { table, columns } = stagingOf(tables[kind]);
      await tx.run(`DROP TABLE IF EXISTS ${table}`);
      await tx.run(`CREATE TABLE ${table} (${columns.join(", ")})`);
    }
    await tx.run(`UPDATE ${t.meta} SET watermark = ?, digest = ? WHERE id = 1`, [
      bulkLoadingWatermark,
      zeroHash,
    ]);
  });
  const digest = new HashSum();
  // The connection's settings are the load's while it runs and the store's after.
  const setting = async (tx: ViewSql, name: string): Promise<number | undefined> => {
    const [row] = await tx.all<Record<string, number>>(`PRAGMA ${name}`);
    // a build without the setting answers no row: nothing to set, nothing to put back
    const value = Number(row?.[name]);
    return Number.isFinite(value) ? value : undefined;
  };
  const set = (tx: ViewSql, name: string, value: number | undefined) =>
    pragmas && value !== undefined ? tx.run(`PRAGMA ${name} = ${value}`) : Promise.resolve();
  const before = pragmas
    ? await write(async (tx) => ({
        mapped: await setting(tx, "mmap_size"),
        cached: await setting(tx, "cache_size"),
        temp: await setting(tx, "temp_store"),
      }))
    : undefined;
  try {
    // Inserts gain nothing from the map reads use, and each page it touches would
    // stay in this process's memory: the load runs unmapped, as it finds it after.
    // Its sorts (the staged rows, the postings, each index) spill to a file, not to
    // memory: the 1,000,000-event history's rebuild peaked at 530-600 MiB RSS with
    // them in memory, 430-510 MiB on file, at the same events/s.
    if (pragmas)
      await write(async (tx) => {
        await set(tx, "mmap_size", 0);
        await set(tx, "temp_store", 1);
      });
    for (const records of chunks) {
      const sum = await write(async (tx) => {
        await set(tx, "cache_size", -cacheKib);
        return insertFresh(tx, records, t, maxBoundValues);
      });
      digest.add(sum);
    }
    await write(async (tx) => {
      await set(tx, "cache_size", -sortCacheKib);
      await derivedRows(tx, t);
    });
    await write(async (tx) => {
      await set(tx, "cache_size", -sortCacheKib);
      await ensureViewSchema(tx, t);
      await tx.run(`UPDATE ${t.meta} SET watermark = ?, digest = ? WHERE id = 1`, [
        watermark,
        digest.toString(),
      ]);
    });
  } finally {
    if (before) {
      await write(async (tx) => {
        await set(tx, "mmap_size", before.mapped);
        await set(tx, "cache_size", before.cached);
        await set(tx, "temp_store", before.temp);
      });
    }
  }
}
