import type { StoredEvent } from "../../../events/types.ts";
import { planBatch, projectBatch } from "../../../projection/index.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import { NamespaceRetired, retiredWatermark } from "../../generations/viewNamespaces.ts";
import type { ApplyResult } from "../../viewStore.ts";
import { loadNeeds } from "./load.ts";
import { type ViewSql, type ViewTables, viewSchemaVersion, viewTables } from "./tables.ts";
import { writeChanges } from "./write.ts";

/**
 * The views' watermark as the given connection or transaction sees it.
 *
 * @example
 * await readViewWatermark(db); // → 42
 */
export async function readViewWatermark(
  tx: ViewSql,
  t: ViewTables = viewTables(),
): Promise<number> {
  const [row] = await tx.all<{ w: number }>(`SELECT watermark AS w FROM ${t.meta} WHERE id = 1`);
  if (!row) throw new Error("the view tables are missing: call ensureViewSchema(db) first");
  return Number(row.w);
}

/**
 * Applies events to the SQL views inside a transaction the caller already
 * holds, under the apply protocol: the watermark is read inside `tx`, only
 * `W+1, W+2, …` are applied, and the new watermark is written in the same
 * transaction. This is how the write API keeps inline views: call it in the
 * command's transaction with the events it just appended, and the views commit
 * or roll back with the command. It never commits, rolls back or retries.
 *
 * `gap` on the primary means its views are behind its own log (a new
 * `ensureViewSchema`, say): replay the log from the returned watermark.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   const events = await appendEvents(tx, decided);   // the write API's own code
 *   const views = await applyEventsInTransaction(tx, events);
 *   if (views.status === "gap") throw new Error("inline views are behind the log");
 * });
 */
export async function applyEventsInTransaction(
  tx: ViewSql,
  events: readonly StoredEvent[],
  t: ViewTables = viewTables(),
): Promise<ApplyResult> {
  const [row] = await tx.all<{ w: number; v: number }>(
    `SELECT watermark AS w, schema_version AS v FROM ${t.meta} WHERE id = 1`,
  );
  if (!row) throw new Error("the view tables are missing: call ensureViewSchema(db) first");
  const watermark = Number(row.w);
  if (watermark === retiredWatermark) throw new NamespaceRetired(t.namespace);
  if (watermark === bulkLoadingWatermark) {
    throw new Error(
      `view namespace "${t.namespace}" holds an unfinished bulk load: rebuild it before applying`,
    );
  }
  const plan = planBatch(watermark, events);
  if (plan.status === "duplicate") return { status: "duplicate", watermark };
  if (plan.status === "gap") return { status: "gap", watermark, missing: plan.missing };
  // Another layout's views are frozen until their replacement switches in: only the watermark moves.
  if (Number(row.v) === viewSchemaVersion) {
    await writeChanges(tx, await projectBatch(plan.events, (needs) => loadNeeds(tx, needs, t)), t);
  }
  await tx.run(`UPDATE ${t.meta} SET watermark = ? WHERE id = 1`, [plan.watermark]);
  return { status: "applied", watermark: plan.watermark, applied: plan.events.length };
}
