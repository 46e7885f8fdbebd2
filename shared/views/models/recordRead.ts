import type { SqlRead } from "./readModel.ts";

/**
 * The SQL read of one record stored whole under its key (a product page, a
 * category's stats, the navigation tree) with the views' watermark, in one
 * statement. Two scalar subqueries, not `meta LEFT JOIN table`: Bun's SQLite
 * (3.54) ran the join at a third of the speed, a product page lookup inside a
 * read transaction taking 6.6-7.0 µs that way and 2.1 this way (Deno's 3.53:
 * 3.1-3.6 against 2.7-3.0; libsql's 3.45 alike either way). `missing` is the
 * body when nothing is stored under the key.
 *
 * @example
 * sql: (t) => recordRead(t.meta, t.page, "slug", ({ slug }) => slug),
 */
export function recordRead<Plan>(
  meta: string,
  table: string,
  keyColumn: string,
  keyOf: (plan: Plan) => string,
  missing: string | null = null,
): SqlRead<Plan> {
  const text = `SELECT (SELECT watermark FROM ${meta} WHERE id = 1) AS w,
    (SELECT data FROM ${table} WHERE ${keyColumn} = ?) AS d`;
  return async (db, plan) => {
    const row = await db.first<{ w: number | null; d: string | null }>(text, [keyOf(plan)]);
    return { watermark: Number(row?.w ?? 0), body: row?.d ?? missing };
  };
}
