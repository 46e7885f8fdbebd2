import { zeroHash } from "../../../digest/index.ts";
import type { ViewRecord } from "../../../projection/records.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import { ensureViewSchema } from "./schema.ts";
import type { ViewSql, ViewTables } from "./tables.ts";
import { writeChanges } from "./write.ts";

/** Runs `fn` in a write transaction of the store's database (`writeTransaction`, or a primary's writer). */
export type WriteIn = <T>(fn: (tx: ViewSql) => Promise<T>) => Promise<T>;

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
 * the first transaction empties it, drops its secondary indexes and marks it
 * loading; each chunk is one transaction of plain inserts in key order; the
 * last recreates the indexes and writes the watermark. A crash leaves the
 * namespace marked loading, which no apply touches and the next load redoes.
 *
 * @example
 * await bulkLoadSql(write, viewTables(namespace), bulk.records(), bulk.watermark);
 */
export async function bulkLoadSql(
  write: WriteIn,
  t: ViewTables,
  chunks: Iterable<readonly ViewRecord[]>,
  watermark: number,
): Promise<void> {
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
    await tx.run(`UPDATE ${t.meta} SET watermark = ?, digest = ? WHERE id = 1`, [
      bulkLoadingWatermark,
      zeroHash,
    ]);
  });
  for (const records of chunks) {
    const changes = records.map((record) => ({ op: "upsert" as const, record }));
    await write((tx) => writeChanges(tx, changes, t, { fresh: true }));
  }
  await write(async (tx) => {
    await ensureViewSchema(tx, t);
    await tx.run(`UPDATE ${t.meta} SET watermark = ? WHERE id = 1`, [watermark]);
  });
}
