import { navigationKey } from "../../../projection/index.ts";
import { listingPage, listingPlan, searchPage, searchPlan } from "../../queries.ts";
import type {
  CategoryListingQuery,
  CategoryStats,
  ListingSort,
  NavigationNode,
  Page,
  ProductPage,
  ProductSummary,
  SearchHit,
  SearchQuery,
} from "../../readModels.ts";
import type { Read } from "../../viewStore.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

// Every read below is one statement, so it sees one snapshot: the watermark
// and the data always belong together, with no transaction to hold open.

const keyColumns: Record<ListingSort, string> = {
  price_asc: "key_price_asc",
  price_desc: "key_price_desc",
  name: "key_name",
  newest: "key_newest",
};

const parse = <T>(text: string | null | undefined): T | null =>
  text === null || text === undefined ? null : (JSON.parse(text) as T);

/** @example await productPageRead(db, "desk-lamp"); // → { watermark, data } */
export async function productPageRead(
  db: ViewSql,
  slug: string,
  t: ViewTables = viewTables(),
): Promise<Read<ProductPage>> {
  const [row] = await db.all<{ w: number; d: string | null }>(
    `SELECT m.watermark AS w, p.data AS d FROM ${t.meta} m
    LEFT JOIN ${t.page} p ON p.slug = ? WHERE m.id = 1`,
    [slug],
  );
  return { watermark: Number(row?.w ?? 0), data: parse<ProductPage>(row?.d) };
}

/** @example await categoryListingRead(db, "lamps", { sort: "name", inStock: false, limit: 20 }); */
export async function categoryListingRead(
  db: ViewSql,
  slug: string,
  query: CategoryListingQuery,
  t: ViewTables = viewTables(),
): Promise<Read<Page<ProductSummary>>> {
  const plan = listingPlan(query);
  const key = keyColumns[plan.sort];
  const rows = await db.all<{
    w: number;
    cat: string | null;
    s: string | null;
    k: string | null;
  }>(
    `SELECT m.watermark AS w, c.id AS cat, s.data AS s, l.k AS k
    FROM ${t.meta} m
    LEFT JOIN ${t.category} c ON c.slug = ?
    LEFT JOIN (
      SELECT product_id, ${key} AS k FROM ${t.listing}
      WHERE category_id = (SELECT id FROM ${t.category} WHERE slug = ?)
        ${plan.inStock ? "AND in_stock = 1" : ""}
        ${plan.after === null ? "" : `AND ${key} > ?`}
      ORDER BY ${key} LIMIT ?
    ) l ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = l.product_id
    WHERE m.id = 1
    ORDER BY l.k`,
    plan.after === null ? [slug, slug, plan.limit + 1] : [slug, slug, plan.after, plan.limit + 1],
  );
  const first = rows[0];
  const watermark = Number(first?.w ?? 0);
  if (!first?.cat) return { watermark, data: null };
  const items = rows.flatMap((r) =>
    r.s === null || r.k === null ? [] : [{ item: JSON.parse(r.s) as ProductSummary, key: r.k }],
  );
  return { watermark, data: listingPage(plan, items) };
}

/** Postings counted per term when planning; past this a term is simply "common". */
const postingsCap = 1_000;

/**
 * Orders query words rarest first: the rarest one drives the join and the
 * others are probed by primary key, so "item 4242" costs one posting, not
 * every product. Counting is capped, so planning stays cheap; only the final
 * statement decides the answer.
 */
async function rarestFirst(db: ViewSql, terms: string[], t: ViewTables): Promise<string[]> {
  if (terms.length < 2) return terms;
  const rows = await db.all<{ t: string; n: number }>(
    `SELECT value AS t, (SELECT count(*) FROM (SELECT 1 FROM ${t.searchTerm}
      WHERE term = value LIMIT ${postingsCap})) AS n FROM json_each(?)`,
    [JSON.stringify(terms)],
  );
  const postings = new Map(rows.map((r) => [r.t, Number(r.n)]));
  return [...terms].sort((a, b) => (postings.get(a) ?? 0) - (postings.get(b) ?? 0));
}

function searchSql(
  terms: string[],
  after: { score: number; id: string } | null,
  limit: number,
  t: ViewTables,
): [string, Array<string | number>] {
  // CROSS JOIN keeps SQLite from reordering: t0, the rarest word, is the outer loop.
  const joins = terms
    .slice(1)
    .map(
      (_, i) =>
        ` CROSS JOIN ${t.searchTerm} t${i + 1} ON t${i + 1}.term = ? AND t${i + 1}.product_id = t0.product_id`,
    )
    .join("");
  const score = terms.map((_, i) => `t${i}.weight`).join(" + ");
  const keyset = after === null ? "" : "WHERE score < ? OR (score = ? AND id > ?)";
  const text = `
    SELECT m.watermark AS w, h.id AS id, h.score AS score, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT id, score FROM (
        SELECT t0.product_id AS id, ${score} AS score
        FROM ${t.searchTerm} t0${joins}
        WHERE t0.term = ?
      ) ${keyset}
      ORDER BY score DESC, id LIMIT ?
    ) h ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = h.id
    WHERE m.id = 1
    ORDER BY h.score DESC, h.id`;
  const keysetArgs = after === null ? [] : [after.score, after.score, after.id];
  return [text, [...terms.slice(1), terms[0] ?? "", ...keysetArgs, limit + 1]];
}

/** @example await searchRead(db, { q: "desk lamp", limit: 20 }); */
export async function searchRead(
  db: ViewSql,
  query: SearchQuery,
  t: ViewTables = viewTables(),
): Promise<Read<Page<SearchHit>>> {
  const plan = searchPlan(query);
  if (plan.terms.length === 0) {
    const [row] = await db.all<{ w: number }>(`SELECT watermark AS w FROM ${t.meta} WHERE id = 1`);
    return { watermark: Number(row?.w ?? 0), data: { items: [], nextCursor: null } };
  }
  const terms = await rarestFirst(db, plan.terms, t);
  const rows = await db.all<{ w: number; id: string | null; score: number; s: string | null }>(
    ...searchSql(terms, plan.after, plan.limit, t),
  );
  const hits = rows.flatMap((r) =>
    r.id === null || r.s === null
      ? []
      : [{ ...(JSON.parse(r.s) as ProductSummary), score: Number(r.score) }],
  );
  return { watermark: Number(rows[0]?.w ?? 0), data: searchPage(plan, hits) };
}

/** @example await categoryStatsRead(db, "lamps"); */
export async function categoryStatsRead(
  db: ViewSql,
  slug: string,
  t: ViewTables = viewTables(),
): Promise<Read<CategoryStats>> {
  const [row] = await db.all<{ w: number; s: string | null }>(
    `SELECT m.watermark AS w, s.data AS s FROM ${t.meta} m
    LEFT JOIN ${t.stats} s ON s.slug = ? WHERE m.id = 1`,
    [slug],
  );
  return { watermark: Number(row?.w ?? 0), data: parse<CategoryStats>(row?.s) };
}

/** @example await navigationRead(db); // → { watermark, data: [ { slug: "home", children: […] } ] } */
export async function navigationRead(
  db: ViewSql,
  t: ViewTables = viewTables(),
): Promise<Read<NavigationNode[]>> {
  const [row] = await db.all<{ w: number; n: string | null }>(
    `SELECT m.watermark AS w, n.data AS n FROM ${t.meta} m
    LEFT JOIN ${t.navigation} n ON n.key = ? WHERE m.id = 1`,
    [navigationKey],
  );
  return { watermark: Number(row?.w ?? 0), data: parse<NavigationNode[]>(row?.n) ?? [] };
}
