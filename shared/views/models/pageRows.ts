import type { SqlConnection, SqlValue } from "../stores/sql/connection.ts";
import type { ViewTables } from "../stores/sql/tables.ts";
import { pageText } from "./bodies.ts";
import type { StoredRead } from "./readModel.ts";

/**
 * Where a page of stored summaries comes from: `range` names one table (with
 * an alias) and the condition selecting the page's rows, cursor included, in
 * the order of `key`; `item` is the summary's JSON column, reached through
 * `join`.
 */
export interface PageRange {
  /** e.g. `view_listing l` */
  range: string;
  /** e.g. `JOIN view_summary s ON s.product_id = l.product_id` */
  join: string;
  /** e.g. `l.category_id = ?1 AND l.key_name > ?3` */
  where: string;
  /** the sort key column: unique within the range, so it continues a page */
  key: string;
  /** the stored JSON of an item, e.g. `s.data` */
  item: string;
}

/** What a page statement answers: one row, whatever the page holds. */
export interface PageRow {
  /** the watermark of the statement's snapshot */
  w: number;
  /** the items' JSON, comma-separated; null for an empty page */
  b: string | null;
  /** the last item's sort key */
  last: string | null;
  /** 1 when rows follow the page */
  more: number;
  [column: string]: unknown;
}

/**
 * One statement answering a whole page as one row: the items' stored JSON
 * already joined in key order (SQLite concatenates them, so no row object is
 * built per item), the last key, whether rows follow it, and the watermark,
 * from one snapshot whether the page has rows or not. A 20-item listing of a
 * 100,000-product catalog: 35 µs read as rows, 29 µs as one.
 *
 * `limit` is the parameter holding the page size (e.g. `?2`); `extra` adds
 * columns to the row, e.g. whether the page's category exists.
 *
 * @example
 * pageSql(t, { range: `${t.attribute} a`, join, where: "a.name = ?1", key: "a.sort_key", item: "s.data" }, "?3");
 */
export function pageSql(t: ViewTables, p: PageRange, limit: string, extra = ""): string {
  return `SELECT w, b, last, n = ${limit} AND EXISTS (SELECT 1 FROM ${p.range} WHERE ${p.where} AND ${p.key} > last) AS more${extra}
    FROM (SELECT (SELECT watermark FROM ${t.meta} WHERE id = 1) AS w,
      group_concat(i, ',' ORDER BY k) AS b, max(k) AS last, count(*) AS n
      FROM (SELECT ${p.item} AS i, ${p.key} AS k FROM ${p.range} ${p.join}
        WHERE ${p.where} ORDER BY ${p.key} LIMIT ${limit}))`;
}

/**
 * A page of stored summaries read by a `pageSql` statement: the page's JSON
 * spliced around the joined items, the cursor continuing after the last key
 * when rows follow.
 *
 * @example
 * return summaryPage(db, facetSql, [name, value, limit], encodeAttributeCursor);
 */
export async function summaryPage(
  db: SqlConnection,
  sql: string,
  args: readonly SqlValue[],
  cursorAfter: (key: string) => string,
): Promise<StoredRead> {
  const row = await pageRowOf(db, sql, args);
  return { watermark: row.w, body: pageBodyOf(row, cursorAfter) };
}

/** The one row of a `pageSql` statement (a statement without rows is a broken one). */
export async function pageRowOf(
  db: SqlConnection,
  sql: string,
  args: readonly SqlValue[],
): Promise<PageRow> {
  const row = await db.first<PageRow>(sql, args);
  if (row === undefined) throw new Error("a page statement answered no row");
  row.w = Number(row.w ?? 0);
  return row;
}

/** The page's JSON from its `pageSql` row. */
export const pageBodyOf = (row: PageRow, cursorAfter: (key: string) => string): string =>
  pageText(row.b ?? "", row.more && row.last !== null ? cursorAfter(row.last) : null);
