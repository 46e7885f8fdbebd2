import type { StoredEvent } from "../../../events/types.ts";
import { planBatch, projectBatch } from "../../../projection/index.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import { NamespaceRetired, retiredWatermark } from "../../generations/viewNamespaces.ts";
import type { ApplyResult } from "../../viewStore.ts";
import { type CategoryMemo, categoriesAfter } from "./categoryMemo.ts";
import { assertThat, type SqlStatement } from "./guard.ts";
import { loadNeeds } from "./load.ts";
import { type ViewSql, type ViewTables, viewSchemaVersion, viewTables } from "./tables.ts";
import { changeStatements } from "./write.ts";

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

/** An apply worked out by its read phase: what it did, and the statements that do it. */
export interface ApplyPlan {
  result: ApplyResult;
  /** nothing for a duplicate or a gap; else the watermark's compare-and-set first */
  statements: SqlStatement[];
}

/**
 * The read phase of an apply under the apply protocol: the watermark `W` is
 * read, only `W+1, W+2, …` are projected, and the statements returned write
 * their changes and the new watermark, first of all checking that the
 * watermark is still `W` (`assertThat`). Nothing among them reads what
 * another wrote for the code, so they run as they are in the transaction that
 * read, or as one D1 batch sent after the reads: there the check is what
 * makes two concurrent deliveries apply once, the second batch failing whole.
 * With a `memo`, the categories come from it when it holds the watermark
 * read, and the ones the batch leaves are staged in it for its commit.
 *
 * @example
 * const { result, statements } = await planApply(tx, events);
 */
export async function planApply(
  tx: ViewSql,
  events: readonly StoredEvent[],
  t: ViewTables = viewTables(),
  memo?: CategoryMemo,
): Promise<ApplyPlan> {
  const row = await tx.first<{ w: number; v: number }>(
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
  if (plan.status === "duplicate")
    return { result: { status: "duplicate", watermark }, statements: [] };
  if (plan.status === "gap") {
    return { result: { status: "gap", watermark, missing: plan.missing }, statements: [] };
  }
  const statements = [
    assertThat(
      `(SELECT watermark FROM ${t.meta} WHERE id = 1) = ?`,
      [watermark],
      `the watermark of ${t.meta} moved past ${watermark}`,
    ),
  ];
  // Another layout's views are frozen until their replacement switches in: only the watermark moves.
  if (Number(row.v) === viewSchemaVersion) {
    const known = memo?.at(watermark);
    let categories = known;
    const changes = await projectBatch(plan.events, async (needs) => {
      const loaded = await loadNeeds(tx, needs, t, known);
      for (const l of loaded) if (l.kind === "categories") categories = l.categories;
      return loaded;
    });
    if (memo && categories) memo.stage(plan.watermark, categoriesAfter(categories, changes));
    statements.push(...(await changeStatements(tx, changes, t)));
  }
  statements.push({
    sql: `UPDATE ${t.meta} SET watermark = ? WHERE id = 1`,
    args: [plan.watermark],
  });
  return {
    result: { status: "applied", watermark: plan.watermark, applied: plan.events.length },
    statements,
  };
}

/**
 * Applies events to the SQL views inside a transaction the caller already
 * holds: `planApply`, then its statements. This is how the write API keeps
 * inline views: call it in the command's transaction with the events it just
 * appended, and the views commit or roll back with the command. It never
 * commits, rolls back or retries.
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
  memo?: CategoryMemo,
): Promise<ApplyResult> {
  const { result, statements } = await planApply(tx, events, t, memo);
  for (const s of statements) await tx.run(s.sql, s.args);
  return result;
}
