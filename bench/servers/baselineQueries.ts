import type { Client, Row } from "@libsql/client";
import { stockStatusOf } from "../../shared/projection/derive.ts";
import { listingSortKeys } from "../../shared/projection/sortKeys.ts";
import type { CategoryRef, ListingSort, ProductSummary } from "../../shared/views/readModels.ts";

// The queries a developer writes without CQRS: joins and aggregates over the
// primary's normalized tables at read time. The watermark is the log's head,
// read in the same statement, so each answer has the reader's shape.

export const head = "(SELECT seq FROM sqlite_sequence WHERE name = 'events') AS w";

export const summaryOf = (r: Row): ProductSummary => ({
  id: String(r.id),
  slug: String(r.slug),
  name: String(r.name),
  price: { amount: Number(r.price_amount), currency: String(r.price_currency) },
  stockStatus: stockStatusOf(Number(r.stock)),
  createdSeq: Number(r.created_seq),
  version: Number(r.version),
});

/** The reader's sort key of a product row, which its cursors carry. */
export const listingKeyOf = (r: Row, sort: ListingSort): string =>
  listingSortKeys({
    id: String(r.id),
    name: String(r.name),
    amount: Number(r.price_amount),
    createdSeq: Number(r.created_seq),
  })[sort];

export async function productRow(db: Client, slug: string): Promise<Row | undefined> {
  const rs = await db.execute({
    sql: `SELECT p.*, c.slug AS c_slug, c.name AS c_name, ${head}
      FROM products p JOIN categories c ON c.id = p.category_id
      WHERE p.slug = ? AND p.status != 'draft'`,
    args: [slug],
  });
  return rs.rows[0];
}

/** Root-first chain of categories ending with `id`, by a recursive CTE. */
export async function categoryPath(db: Client, id: string): Promise<CategoryRef[]> {
  const rs = await db.execute({
    sql: `WITH RECURSIVE up(id, slug, name, parent_id, depth) AS (
        SELECT id, slug, name, parent_id, 0 FROM categories WHERE id = ?
        UNION ALL SELECT c.id, c.slug, c.name, c.parent_id, up.depth + 1
        FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 32)
      SELECT id, slug, name FROM up ORDER BY depth DESC`,
    args: [id],
  });
  return rs.rows.map((r) => ({ id: String(r.id), slug: String(r.slug), name: String(r.name) }));
}

/** Active products of a category by price then id, strictly after `after`, plus one. */
export async function listingRows(
  db: Client,
  slug: string,
  after: { amount: number; id: string } | null,
  limit: number,
): Promise<{ w: number; exists: boolean; rows: Row[] }> {
  const keyset =
    after === null ? "" : "AND (p.price_amount > ? OR (p.price_amount = ? AND p.id > ?))";
  const rs = await db.execute({
    sql: `SELECT c.id AS cat, ${head}, p.* FROM categories c
      LEFT JOIN (SELECT * FROM products p WHERE p.status = 'active' ${keyset}) p
        ON p.category_id = c.id
      WHERE c.slug = ? ORDER BY p.price_amount, p.id LIMIT ?`,
    args: [...(after === null ? [] : [after.amount, after.amount, after.id]), slug, limit + 1],
  });
  const first = rs.rows[0];
  return {
    w: Number(first?.w ?? 0),
    exists: first !== undefined,
    rows: rs.rows.filter((r) => r.id !== null),
  };
}

/** Products whose name or description contains every term; name 2, description 1 per term. */
export async function searchRows(
  db: Client,
  terms: string[],
  after: { score: number; id: string } | null,
  limit: number,
): Promise<Row[]> {
  const patterns = terms.map((t) => `%${t.replace(/[%_\\]/g, "\\$&")}%`);
  const like = (col: string) => `${col} LIKE ? ESCAPE '\\'`;
  const score = patterns
    .map(
      () =>
        `(CASE WHEN ${like("name")} THEN 2 ELSE 0 END + CASE WHEN ${like("description")} THEN 1 ELSE 0 END)`,
    )
    .join(" + ");
  const every = patterns.map(() => `(${like("name")} OR ${like("description")})`).join(" AND ");
  const keyset = after === null ? "" : "WHERE score < ? OR (score = ? AND id > ?)";
  const rs = await db.execute({
    sql: `SELECT *, ${head} FROM (
        SELECT *, ${score} AS score FROM products WHERE status = 'active' AND ${every}
      ) ${keyset} ORDER BY score DESC, id LIMIT ?`,
    args: [
      ...patterns.flatMap((p) => [p, p]),
      ...patterns.flatMap((p) => [p, p]),
      ...(after === null ? [] : [after.score, after.score, after.id]),
      limit + 1,
    ],
  });
  return rs.rows;
}

/** Per-currency aggregates of a category's active products, computed now. */
export async function statsRows(db: Client, slug: string): Promise<Row[]> {
  const rs = await db.execute({
    sql: `SELECT c.id AS cat, c.slug AS c_slug, c.name AS c_name, c.version AS c_version, ${head},
        p.price_currency AS currency, count(p.id) AS n, coalesce(sum(p.stock > 0), 0) AS in_stock,
        min(p.price_amount) AS lo, max(p.price_amount) AS hi, sum(p.price_amount) AS total
      FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.status = 'active'
      WHERE c.slug = ? GROUP BY p.price_currency ORDER BY p.price_currency`,
    args: [slug],
  });
  return rs.rows;
}
