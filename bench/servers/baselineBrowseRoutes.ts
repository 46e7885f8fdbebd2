import type { Client, Row } from "@libsql/client";
import type { Hono } from "hono";
import { compareCodePoints } from "../../shared/projection/text.ts";
import {
  decodeAttributeCursor,
  decodeListingCursor,
  encodeAttributeCursor,
  encodeListingCursor,
} from "../../shared/views/cursor.ts";
import type { NavigationNode } from "../../shared/views/readModels.ts";
import {
  attributeValueRows,
  categoryCountRows,
  facetRows,
  newestRows,
} from "./baselineBrowseQueries.ts";
import { listingKeyOf, summaryOf } from "./baselineQueries.ts";

const limitOf = (raw: string | undefined) => Math.min(100, Math.max(1, Number(raw ?? 20) || 20));

/** The tree of categories, siblings by slug; total counts summed up from the leaves. */
function categoryTree(rows: Row[]): NavigationNode[] {
  const nodes = new Map<string, NavigationNode>();
  for (const r of rows) {
    const n = Number(r.n);
    nodes.set(String(r.id), {
      id: String(r.id),
      slug: String(r.slug),
      name: String(r.name),
      productCount: n,
      totalProductCount: n,
      version: Number(r.version),
      children: [],
    });
  }
  const roots: NavigationNode[] = [];
  for (const r of rows) {
    const node = nodes.get(String(r.id));
    const parent = r.parent_id === null ? undefined : nodes.get(String(r.parent_id));
    if (node) (parent ? parent.children : roots).push(node);
  }
  const total = (node: NavigationNode): number => {
    node.children.sort((a, b) => compareCodePoints(a.slug, b.slug));
    node.totalProductCount += node.children.reduce((sum, child) => sum + total(child), 0);
    return node.totalProductCount;
  };
  for (const root of roots) total(root);
  return roots.sort((a, b) => compareCodePoints(a.slug, b.slug));
}

/** The reader's `newest` key is `(MAX_SAFE_INTEGER - createdSeq)` padded, `|`, the id. */
function newestAfter(cursor: string): { seq: number; id: string } {
  const key = decodeListingCursor(cursor, { sort: "newest", inStock: false });
  const bar = key.indexOf("|");
  return { seq: Number.MAX_SAFE_INTEGER - Number(key.slice(0, bar)), id: key.slice(bar + 1) };
}

/**
 * The browsing reads with the reader's response shapes: the category tree,
 * the catalog's newest products (only `sort=newest`, no `inStock` filter: what
 * the benchmark asks), a facet's products by name and an attribute's values.
 */
export const browseRoutes = (db: Client) => (app: Hono) => {
  app.get("/v1/categories", async (c) => {
    const { w, rows } = await categoryCountRows(db);
    return c.json({ categories: categoryTree(rows), watermark: w });
  });
  app.get("/v1/products", async (c) => {
    const limit = limitOf(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const { w, rows } = await newestRows(db, cursor ? newestAfter(cursor) : null, limit);
    const last = rows.slice(0, limit).at(-1);
    const nextCursor =
      rows.length > limit && last
        ? encodeListingCursor({
            sort: "newest",
            inStock: false,
            after: listingKeyOf(last, "newest"),
          })
        : null;
    return c.json({
      page: { items: rows.slice(0, limit).map(summaryOf), nextCursor },
      watermark: w,
    });
  });
  app.get("/v1/attributes/:name/:value/products", async (c) => {
    const limit = limitOf(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const after = cursor ? decodeAttributeCursor(cursor) : null;
    const { w, rows } = await facetRows(db, c.req.param("name"), c.req.param("value"));
    // the order is the name sort key (words normalized as the projection's), which SQL cannot compute
    const page = rows
      .map((r) => ({ r, key: listingKeyOf(r, "name") }))
      .filter((x) => after === null || compareCodePoints(x.key, after) > 0)
      .sort((a, b) => compareCodePoints(a.key, b.key))
      .slice(0, limit + 1);
    const last = page.slice(0, limit).at(-1);
    const nextCursor = page.length > limit && last ? encodeAttributeCursor(last.key) : null;
    const items = page.slice(0, limit).map((x) => summaryOf(x.r));
    return c.json({ products: { items, nextCursor }, watermark: w });
  });
  app.get("/v1/attributes/:name", async (c) => {
    const name = c.req.param("name");
    const { w, values } = await attributeValueRows(db, name);
    return c.json({ attribute: { name, values }, watermark: w });
  });
  return app;
};
