import { adjectives, categoryCount, categorySlug, productSlug } from "../data/catalogCommands.ts";

/** One or more kinds per read model (shared/views/models/readModelList.ts). */
export const readKinds = [
  "product",
  "listing-p1",
  "listing-p10",
  "search",
  "stats",
  "navigation",
  "catalog-newest",
  "facet",
  "attribute-values",
] as const;
export type ReadKind = (typeof readKinds)[number];

const materials = ["oak", "steel", "linen", "wool", "glass", "cotton", "brass", "marble"];
const nouns = ["lamp", "chair", "table", "shelf", "rug", "vase", "mirror", "clock", "desk"];

const listing = (slug: string, limit: number, cursor?: string) =>
  `/v1/categories/${slug}/products?sort=price_asc&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;

/** Fetches page 10 of a category's listing by following nine cursors. */
async function page10Path(origin: string, slug: string, limit: number): Promise<string> {
  let path = listing(slug, limit);
  for (let page = 1; page < 10; page++) {
    const res = await fetch(origin + path);
    const body = (await res.json()) as { page?: { nextCursor: string | null } };
    const cursor = body.page?.nextCursor;
    if (!cursor) throw new Error(`${slug} has fewer than 10 pages of ${limit}`);
    path = listing(slug, limit, cursor);
  }
  return path;
}

/**
 * The requests of each read kind, taken round-robin by the load generator:
 * 200 products spread over the catalog, every category, 72 two-word searches,
 * page 10 of 20 categories (cursors followed once, on `origin`; the cursor
 * format is the same on every target), the tree, the catalog's newest page,
 * the first page of each of the 8 colors and the colors with their counts.
 */
export async function readPaths(
  origin: string,
  products: number,
  listingLimit: number,
): Promise<Record<ReadKind, string[]>> {
  const categories = Array.from({ length: categoryCount }, (_, i) => categorySlug(i));
  const page10 = [];
  for (const slug of categories.slice(0, 20))
    page10.push(await page10Path(origin, slug, listingLimit));
  return {
    product: Array.from(
      { length: 200 },
      (_, k) => `/v1/products/${productSlug((k * 7_919) % products)}`,
    ),
    "listing-p1": categories.map((slug) => listing(slug, listingLimit)),
    "listing-p10": page10,
    search: materials.flatMap((m) => nouns.map((n) => `/v1/search?q=${m}+${n}&limit=20`)),
    stats: categories.map((slug) => `/v1/categories/${slug}/stats`),
    navigation: ["/v1/categories"],
    "catalog-newest": [`/v1/products?sort=newest&limit=${listingLimit}`],
    facet: adjectives.map(
      (color) => `/v1/attributes/color/${color}/products?limit=${listingLimit}`,
    ),
    "attribute-values": ["/v1/attributes/color"],
  };
}
