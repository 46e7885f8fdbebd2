import type { SqlConnection, SqlRow, SqlValue } from "../stores/sql/connection.ts";
import type { ViewTables } from "../stores/sql/tables.ts";
import { pageBody } from "./bodies.ts";
import type { StoredRead } from "./readModel.ts";

/** A page's rows, and the watermark (and whatever else `head` asks) of the same snapshot. */
export interface PageRows<R, H> {
  rows: R[];
  head: H;
}

/**
 * A page read as one statement: `rows` reads the page in order and each row
 * carries the watermark (a scalar subquery, run once), so a page with rows is
 * one index range scan and one snapshot. A page without rows has no row to
 * carry it: then `rows` runs again beside `head` in one read snapshot, which
 * answers the watermark and what an empty page needs to say (does the
 * category exist?).
 *
 * @example
 * const { rows, head } = await pageRows(db, listingSql, args, headSql, [slug], (r) => ({ w: r.w }));
 */
export async function pageRows<R extends SqlRow & { w: number }, H>(
  db: SqlConnection,
  rowsSql: string,
  args: readonly SqlValue[],
  headSql: string,
  headArgs: readonly SqlValue[],
  headOf: (row: SqlRow | undefined, rows: R[]) => H,
): Promise<PageRows<R, H>> {
  const rows = await db.all<R>(rowsSql, args);
  if (rows.length > 0) return { rows, head: headOf(undefined, rows) };
  return db.snapshot(async (tx) => {
    const again = await tx.all<R>(rowsSql, args);
    const head = await tx.first(headSql, headArgs);
    return { rows: again, head: headOf(again.length > 0 ? undefined : head, again) };
  });
}

/**
 * A page of stored summaries whose rows are `{ w, s, k }` (watermark, summary
 * JSON, sort key) and whose empty page says nothing but the watermark: the
 * summaries spliced into the page, the cursor continuing after the last key.
 *
 * @example
 * return summaryPage(db, t, facetSql, [name, value, limit + 1], limit, encodeAttributeCursor);
 */
export async function summaryPage(
  db: SqlConnection,
  t: ViewTables,
  rowsSql: string,
  args: readonly SqlValue[],
  limit: number,
  cursorAfter: (key: string) => string,
): Promise<StoredRead> {
  const { rows, head: watermark } = await pageRows<{ w: number; s: string; k: string }, number>(
    db,
    rowsSql,
    args,
    `SELECT watermark AS w FROM ${t.meta} WHERE id = 1`,
    [],
    (h, r) => Number((h ?? r[0])?.w ?? 0),
  );
  const body = pageBody(
    rows,
    limit,
    (r) => r.s,
    (last) => cursorAfter(last.k),
  );
  return { watermark, body };
}
