import type { Client } from "@libsql/client";
import { head } from "./baselineQueries.ts";

// The browsing reads (tree, catalog, facets) as a developer writes them
// without CQRS: aggregates and JSON extraction over the primary's products at
// read time. Each query hangs its rows off a one-row `SELECT 1`, so the head
// (the answer's watermark) comes back even when no row matches.

/**
 * The head `w` and the rows of `rows` (a subquery whose `column` is never
 * null), ordered by `order` when given: a subquery's ORDER BY does not
 * survive the join.
 */
async function withHead(
  db: Client,
  q: { rows: string; args: Array<string | number>; column: string; order?: string },
) {
  const rs = await db.execute({
    sql: `SELECT ${head}, r.* FROM (SELECT 1) LEFT JOIN (${q.rows}) r ON 1
      ${q.order ? `ORDER BY ${q.order}` : ""}`,
    args: q.args,
  });
  return { w: Number(rs.rows[0]?.w ?? 0), rows: rs.rows.filter((r) => r[q.column] !== null) };
}

/** Every category with its count of active products, counted now. */
export const categoryCountRows = (db: Client) =>
  withHead(db, {
    rows: `SELECT c.id, c.slug, c.name, c.parent_id, c.version, count(p.id) AS n
      FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.status = 'active'
      GROUP BY c.id`,
    args: [],
    column: "id",
  });

/** The newest active products (created seq descending, then id), strictly after `after`, plus one. */
export function newestRows(db: Client, after: { seq: number; id: string } | null, limit: number) {
  const keyset = after === null ? "" : "AND (created_seq < ? OR (created_seq = ? AND id > ?))";
  return withHead(db, {
    rows: `SELECT * FROM products WHERE status = 'active' ${keyset}
      ORDER BY created_seq DESC, id LIMIT ?`,
    args: [...(after === null ? [] : [after.seq, after.seq, after.id]), limit + 1],
    column: "id",
    order: "r.created_seq DESC, r.id",
  });
}

/**
 * An attribute's value as the facets compare it: text as it is, numbers and
 * booleans as their JSON text (which is JavaScript's `String(value)`, as the
 * projection's `attributeValueText`), so `3` and `"3"` are one value.
 * `?1` is the JSON path of the attribute.
 */
const valueText = `CASE json_type(attributes, ?1) WHEN 'text' THEN attributes ->> ?1
  ELSE attributes -> ?1 END`;

/**
 * The JSON path of an attribute name. A name holding a double quote has no
 * path label SQLite reads (it takes no escapes in labels): such a name
 * matches nothing here, where the reader would find it.
 */
const pathOf = (name: string) => `$."${name}"`;

/** Every active product whose attribute `name` has the text `value`, in no order. */
export const facetRows = (db: Client, name: string, value: string) =>
  withHead(db, {
    rows: `SELECT id, slug, name, price_amount, price_currency, stock, created_seq, version
      FROM products WHERE status = 'active' AND ${valueText} = ?2`,
    args: [pathOf(name), value],
    column: "id",
  });

/**
 * The values of attribute `name` among active products with their counts;
 * BINARY collation orders text by UTF-8 bytes, which is code-point order.
 */
export async function attributeValueRows(db: Client, name: string) {
  const { w, rows } = await withHead(db, {
    rows: `SELECT value, count(*) AS n FROM (
        SELECT ${valueText} AS value FROM products WHERE status = 'active'
      ) WHERE value IS NOT NULL GROUP BY value`,
    args: [pathOf(name)],
    column: "value",
    order: "r.value",
  });
  return { w, values: rows.map((r) => ({ value: String(r.value), count: Number(r.n) })) };
}
