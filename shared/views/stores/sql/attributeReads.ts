import { attributePage, attributePlan, attributeText } from "../../attributeQueries.ts";
import type { AttributeQuery, AttributeValues, Page, ProductSummary } from "../../readModels.ts";
import type { Read } from "../../viewStore.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

// One statement each, as in reads.ts: the watermark and the rows share a snapshot.

/**
 * A facet page: a range scan of the attribute table's primary key in sort-key
 * order, summaries joined from the listing (so a stock or price change never
 * touches facet rows).
 *
 * @example
 * await productsByAttributeRead(db, "color", "red", { limit: 20 }); // → { watermark, data: { items, nextCursor } }
 */
export async function productsByAttributeRead(
  db: ViewSql,
  name: string,
  value: string,
  query: AttributeQuery,
  t: ViewTables = viewTables(),
): Promise<Read<Page<ProductSummary>>> {
  const plan = attributePlan(name, value, query);
  const rows = await db.all<{ w: number; k: string | null; s: string | null }>(
    `SELECT m.watermark AS w, a.k AS k, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT sort_key AS k, product_id FROM ${t.attribute}
      WHERE name = ? AND value = ? ${plan.after === null ? "" : "AND sort_key > ?"}
      ORDER BY sort_key LIMIT ?
    ) a ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = a.product_id
    WHERE m.id = 1
    ORDER BY a.k`,
    plan.after === null
      ? [plan.name, plan.value, plan.limit + 1]
      : [plan.name, plan.value, plan.after, plan.limit + 1],
  );
  const items = rows.flatMap((r) =>
    r.s === null || r.k === null ? [] : [{ item: JSON.parse(r.s) as ProductSummary, key: r.k }],
  );
  return { watermark: Number(rows[0]?.w ?? 0), data: attributePage(plan, items) };
}

/**
 * Each value of an attribute with its count of active products; a product has
 * at most one row per name, so rows are products. BINARY collation orders
 * values by UTF-8 bytes, which is code-point order.
 *
 * @example
 * await attributeValuesRead(db, "color"); // → { watermark, data: { name: "color", values: [{ value: "red", count: 2 }] } }
 */
export async function attributeValuesRead(
  db: ViewSql,
  name: string,
  t: ViewTables = viewTables(),
): Promise<Read<AttributeValues>> {
  attributeText("name", name);
  const rows = await db.all<{ w: number; v: string | null; n: number | null }>(
    `SELECT m.watermark AS w, a.value AS v, a.n AS n
    FROM ${t.meta} m
    LEFT JOIN (SELECT value, count(*) AS n FROM ${t.attribute} WHERE name = ? GROUP BY value) a ON 1
    WHERE m.id = 1
    ORDER BY a.value`,
    [name],
  );
  const values = rows.flatMap((r) =>
    r.v === null ? [] : [{ value: String(r.v), count: Number(r.n ?? 0) }],
  );
  return { watermark: Number(rows[0]?.w ?? 0), data: { name, values } };
}
