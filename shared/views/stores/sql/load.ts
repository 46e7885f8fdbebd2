import type { Category, Product } from "../../../domain/catalog.ts";
import {
  type CategoryCounters,
  type Loaded,
  type Need,
  navigationKey,
  type PricePoint,
} from "../../../projection/index.ts";
import type { NavigationNode } from "../../readModels.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

const parse = <T>(rows: Array<{ data: string }>): T[] => rows.map((r) => JSON.parse(r.data) as T);

const byKeys = async <T>(tx: ViewSql, statement: string, keys: readonly string[]): Promise<T[]> =>
  parse<T>(await tx.all<{ data: string }>(statement, [JSON.stringify(keys)]));

async function priceRange(
  tx: ViewSql,
  n: Extract<Need, { kind: "priceRange" }>,
  t: ViewTables,
): Promise<Loaded> {
  const ends = (order: "ASC" | "DESC") =>
    tx.all<{ id: string; amount: number }>(
      `SELECT product_id AS id, amount FROM ${t.listing} WHERE category_id = ? AND currency = ?
      ORDER BY amount ${order}, product_id ${order} LIMIT ?`,
      [n.categoryId, n.currency, n.limit],
    );
  const points = (rows: Array<{ id: string; amount: number }>): PricePoint[] =>
    rows.map((r) => ({ id: String(r.id), amount: Number(r.amount) }));
  return { ...n, lowest: points(await ends("ASC")), highest: points(await ends("DESC")) };
}

/**
 * Answers one round of the projection's needs from the view tables. Reads
 * only: what the records mean is the projection's business. `categories`,
 * when given, is the category table as the caller knows it to stand (see
 * `CategoryMemo`), answered without reading it.
 *
 * @example
 * const changes = await projectBatch(events, (needs) => loadNeeds(tx, needs));
 */
export async function loadNeeds(
  tx: ViewSql,
  needs: readonly Need[],
  t: ViewTables = viewTables(),
  categories?: readonly Category[],
): Promise<Loaded[]> {
  const out: Loaded[] = [];
  for (const n of needs) {
    switch (n.kind) {
      case "categories": {
        const list =
          categories ??
          parse<Category>(await tx.all<{ data: string }>(`SELECT data FROM ${t.category}`));
        out.push({ kind: "categories", categories: list });
        break;
      }
      case "products":
        out.push({
          ...n,
          products: await byKeys<Product>(
            tx,
            `SELECT data FROM ${t.product} WHERE id IN (SELECT value FROM json_each(?))`,
            n.ids,
          ),
        });
        break;
      case "counters":
        out.push({
          ...n,
          counters: await byKeys<CategoryCounters>(
            tx,
            `SELECT data FROM ${t.counters} WHERE category_id IN (SELECT value FROM json_each(?))`,
            n.categoryIds,
          ),
        });
        break;
      case "members":
        out.push({
          ...n,
          products: await byKeys<Product>(
            tx,
            `SELECT data FROM ${t.product} WHERE category_id IN (SELECT value FROM json_each(?))`,
            n.categoryIds,
          ),
        });
        break;
      case "priceRange":
        out.push(await priceRange(tx, n, t));
        break;
      case "navigation": {
        const [tree] = parse<NavigationNode[]>(
          await tx.all<{ data: string }>(`SELECT data FROM ${t.navigation} WHERE key = ?`, [
            navigationKey,
          ]),
        );
        out.push({ kind: "navigation", navigation: tree ?? null });
        break;
      }
    }
  }
  return out;
}
