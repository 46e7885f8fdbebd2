import type { Client } from "@libsql/client";
import { Hono } from "hono";
import { stockStatusOf } from "../../shared/projection/derive.ts";
import { queryTerms } from "../../shared/projection/text.ts";
import {
  decodeListingCursor,
  decodeSearchCursor,
  encodeListingCursor,
  encodeSearchCursor,
} from "../../shared/views/cursor.ts";
import type { PriceStats, ProductPage, SearchHit } from "../../shared/views/readModels.ts";
import { browseRoutes } from "./baselineBrowseRoutes.ts";
import {
  categoryPath,
  listingKeyOf,
  listingRows,
  productRow,
  searchRows,
  statsRows,
  summaryOf,
} from "./baselineQueries.ts";

const limitOf = (raw: string | undefined) => Math.min(100, Math.max(1, Number(raw ?? 20) || 20));
const notFound = { error: { code: "not_found", message: "not found" } };

/**
 * The "single model" baseline: every storefront read path (product page,
 * price-sorted category listing, search, category stats, and the browsing
 * reads of `browseRoutes`) with the edge reader's response shapes, answered
 * from the normalized tables. Only what the benchmark asks: listing sort
 * `price_asc`, no `inStock` filter.
 */
export function createBaselineApp(db: Client): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/v1/products/:slug", async (c) => {
    const r = await productRow(db, c.req.param("slug"));
    if (!r) return c.json(notFound, 404);
    const stock = Number(r.stock);
    const product: ProductPage = {
      ...summaryOf(r),
      sku: String(r.sku),
      description: String(r.description),
      status: String(r.status) as ProductPage["status"],
      attributes: JSON.parse(String(r.attributes)) as ProductPage["attributes"],
      stock,
      stockStatus: stockStatusOf(stock),
      category: {
        id: String(r.category_id),
        slug: String(r.c_slug),
        name: String(r.c_name),
        path: await categoryPath(db, String(r.category_id)),
      },
    };
    return c.json({ product, watermark: Number(r.w) });
  });
  app.get("/v1/categories/:slug/products", async (c) => {
    const limit = limitOf(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const key = cursor ? decodeListingCursor(cursor, { sort: "price_asc", inStock: false }) : null;
    const [amount, id] = key?.split("|") ?? [];
    const after = key ? { amount: Number(amount), id: id ?? "" } : null;
    const { w, exists, rows } = await listingRows(db, c.req.param("slug"), after, limit);
    if (!exists) return c.json(notFound, 404);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? encodeListingCursor({
            sort: "price_asc",
            inStock: false,
            after: listingKeyOf(last, "price_asc"),
          })
        : null;
    return c.json({ page: { items: page.map(summaryOf), nextCursor }, watermark: w });
  });
  app.get("/v1/search", async (c) => {
    const limit = limitOf(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const rows = await searchRows(
      db,
      queryTerms(c.req.query("q") ?? ""),
      cursor ? decodeSearchCursor(cursor) : null,
      limit,
    );
    const items: SearchHit[] = rows
      .slice(0, limit)
      .map((r) => ({ ...summaryOf(r), score: Number(r.score) }));
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeSearchCursor({ score: last.score, id: last.id }) : null;
    return c.json({ page: { items, nextCursor }, watermark: Number(rows[0]?.w ?? 0) });
  });
  app.get("/v1/categories/:slug/stats", async (c) => {
    const rows = await statsRows(db, c.req.param("slug"));
    const first = rows[0];
    if (!first) return c.json(notFound, 404);
    const prices: PriceStats[] = rows
      .filter((r) => r.currency !== null)
      .map((r) => {
        const count = Number(r.n);
        const sum = BigInt(String(r.total));
        const avg = Number((2n * sum + BigInt(count)) / (2n * BigInt(count)));
        return { currency: String(r.currency), count, min: Number(r.lo), max: Number(r.hi), avg };
      });
    const stats = {
      category: { id: String(first.cat), slug: String(first.c_slug), name: String(first.c_name) },
      productCount: prices.reduce((n, p) => n + p.count, 0),
      inStockCount: rows.reduce((n, r) => n + Number(r.in_stock), 0),
      prices,
      version: Number(first.c_version),
    };
    return c.json({ stats, watermark: Number(first.w) });
  });
  return browseRoutes(db)(app);
}
