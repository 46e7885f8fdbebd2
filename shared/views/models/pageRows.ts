import type { SqlConnection, SqlRow, SqlValue } from "../stores/sql/connection.ts";
import type { ViewTables } from "../stores/sql/tables.ts";
import { pageText } from "./bodies.ts";
import type { StoredRead } from "./readModel.ts";

/**
 * Where a page of stored items comes from: `range` names one table (with an
 * alias) and the condition selecting the page's rows, cursor included, in the
 * order of `key`; `item` is the item's JSON column, reached through `join`.
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

/**
 * A page read's statements, built once per model and query shape; which one
 * runs is the binding's choice (`SqlConnection.pagesAsOneRow`).
 */
export interface PageStatements {
  /** the whole page as one row (`PageRow`) */
  oneRow: string;
  /** a row per item, `limit + 1` of them (the extra one says a next page exists), each with the watermark */
  rows: string;
  /** what an empty page says: the watermark and whether its scope exists */
  head: string;
}

/** A page as read: its items' JSON, comma-separated, and what continues it. */
export interface PageRow {
  /** the watermark of the read's snapshot */
  w: number;
  /** the items' JSON, comma-separated; null for an empty page */
  b: string | null;
  /** the last item's sort key */
  last: string | null;
  /** 1 when rows follow the page */
  more: number;
  /** 0 when the page is empty because its scope (a category, say) does not exist */
  found: number;
}

/**
 * The statements of a page of stored items. As one row, SQLite joins the
 * items' JSON in key order and says the last key, whether rows follow and the
 * watermark, whether the page has rows or not: no row object per item (a
 * 20-item listing of a 100,000-product catalog on the `libsql` binding: 35 µs
 * as rows, 29 µs as one). As rows, an empty page needs `head` in the same
 * snapshot.
 *
 * `limit` is the parameter holding the page size (e.g. `?2`); `scopeExists`
 * an SQL condition on the page's scope, asked only of an empty page.
 *
 * @example
 * pageStatements(t, { range: `${t.attribute} a`, join, where: "a.name = ?1", key: "a.sort_key", item: "s.data" }, "?3");
 */
export function pageStatements(
  t: ViewTables,
  p: PageRange,
  limit: string,
  scopeExists = "1",
): PageStatements {
  const watermark = `(SELECT watermark FROM ${t.meta} WHERE id = 1)`;
  const items = (columns: string, rows: string) =>
    `SELECT ${columns} FROM ${p.range} ${p.join} WHERE ${p.where} ORDER BY ${p.key} LIMIT ${rows}`;
  return {
    oneRow: `SELECT w, b, last,
      n = ${limit} AND EXISTS (SELECT 1 FROM ${p.range} WHERE ${p.where} AND ${p.key} > last) AS more,
      n > 0 OR ${scopeExists} AS found
      FROM (SELECT ${watermark} AS w, group_concat(i, ',' ORDER BY k) AS b, max(k) AS last, count(*) AS n
        FROM (${items(`${p.item} AS i, ${p.key} AS k`, limit)}))`,
    rows: items(`${watermark} AS w, ${p.item} AS i, ${p.key} AS k`, `${limit} + 1`),
    head: `SELECT watermark AS w, ${scopeExists} AS found FROM ${t.meta} WHERE id = 1`,
  };
}

/** A page from its `rows` statement's rows (at least one), each read through `w`, `i` and `k`. */
function pageOfRows<R>(
  rows: readonly R[],
  limit: number,
  w: (row: R) => unknown,
  i: (row: R) => unknown,
  k: (row: R) => unknown,
): PageRow {
  const page = Math.min(limit, rows.length);
  let b = "";
  for (let n = 0; n < page; n++) {
    const row = rows[n] as R;
    b += n === 0 ? String(i(row)) : `,${String(i(row))}`;
  }
  const last = rows[page - 1];
  return {
    w: Number(w(rows[0] as R) ?? 0),
    b,
    last: last === undefined ? null : String(k(last)),
    more: rows.length > limit ? 1 : 0,
    found: 1,
  };
}

type ItemRow = { w: unknown; i: string; k: string };
const ofObjects = (rows: readonly ItemRow[], limit: number) =>
  pageOfRows(
    rows,
    limit,
    (r) => r.w,
    (r) => r.i,
    (r) => r.k,
  );
const ofArrays = (rows: readonly SqlValue[][], limit: number) =>
  pageOfRows(
    rows,
    limit,
    (r) => r[0],
    (r) => r[1],
    (r) => r[2],
  );

/**
 * Reads a page by the statements its binding runs fastest: the one row, or a
 * row per item (and, for an empty page, `head` with `headArgs` in the same
 * snapshot).
 *
 * @example
 * const page = await readPage(db, statements, [slug, 20], [slug], 20);
 */
export async function readPage(
  db: SqlConnection,
  s: PageStatements,
  args: readonly SqlValue[],
  headArgs: readonly SqlValue[],
  limit: number,
): Promise<PageRow> {
  if (db.pagesAsOneRow) {
    const row = await db.first<PageRow & SqlRow>(s.oneRow, args);
    if (row === undefined) throw new Error("a page statement answered no row");
    row.w = Number(row.w ?? 0);
    return row;
  }
  if (db.values) {
    // columns in the order the statement names them: w, i, k
    const rows = await db.values(s.rows, args);
    if (rows.length > 0) return ofArrays(rows, limit);
  } else {
    const rows = await db.all<ItemRow>(s.rows, args);
    if (rows.length > 0) return ofObjects(rows, limit);
  }
  return db.snapshot(async (tx) => {
    const again = await tx.all<ItemRow>(s.rows, args);
    if (again.length > 0) return ofObjects(again, limit);
    const head = await tx.first<{ w: unknown; found: unknown }>(s.head, headArgs);
    return {
      w: Number(head?.w ?? 0),
      b: null,
      last: null,
      more: 0,
      found: Number(head?.found ?? 0),
    };
  });
}

/** The page's JSON: the items spliced in, the cursor continuing after the last key when rows follow. */
export const pageBodyOf = (row: PageRow, cursorAfter: (key: string) => string): string =>
  pageText(row.b ?? "", row.more && row.last !== null ? cursorAfter(row.last) : null);

/**
 * A page of stored summaries whose scope always exists (an empty page is an
 * empty page, not a 404).
 *
 * @example
 * return summaryPage(db, facetStatements, [name, value, limit], limit, encodeAttributeCursor);
 */
export async function summaryPage(
  db: SqlConnection,
  s: PageStatements,
  args: readonly SqlValue[],
  limit: number,
  cursorAfter: (key: string) => string,
): Promise<StoredRead> {
  const page = await readPage(db, s, args, [], limit);
  return { watermark: page.w, body: pageBodyOf(page, cursorAfter) };
}
