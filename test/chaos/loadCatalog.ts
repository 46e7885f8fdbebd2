import type { StackFile } from "../../local/stack/launchStack.ts";

/** A product the load writes to and reads: active, so it has a page on every reader. */
export interface LoadProduct {
  id: string;
  slug: string;
  currency: string;
  categorySlug: string;
}

const primaryRead = (stack: StackFile, path: string) =>
  fetch(`${stack.writeApi.url}/v1/read${path}`, {
    headers: { authorization: `Bearer ${stack.tokens.reader}` },
  });

/**
 * Category slug → id, from the primary's navigation tree.
 *
 * @example
 * (await categoryIdsBySlug(stack)).get("shoes"); // → "cat_…"
 */
export async function categoryIdsBySlug(stack: StackFile): Promise<Map<string, string>> {
  const res = await primaryRead(stack, "/categories");
  const ids = new Map<string, string>();
  const walk = (nodes: unknown) => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes as { id?: string; slug?: string; children?: unknown }[]) {
      if (n.id && n.slug) ids.set(n.slug, n.id);
      walk(n.children);
    }
  };
  const body = (await res.json()) as { categories?: unknown } | unknown[];
  walk(Array.isArray(body) ? body : (body as { categories?: unknown }).categories);
  return ids;
}

/**
 * Active products to load, with what the load needs of each (currency, category), read from the primary.
 *
 * @example
 * const products = await loadProducts(stack, createdSlugs.slice(0, 60));
 */
export async function loadProducts(
  stack: StackFile,
  slugs: readonly string[],
): Promise<LoadProduct[]> {
  const out: LoadProduct[] = [];
  for (const slug of slugs) {
    const res = await primaryRead(stack, `/products/${encodeURIComponent(slug)}`);
    if (!res.ok) continue;
    const { product: p } = (await res.json()) as {
      product: {
        id: string;
        slug: string;
        status: string;
        price: { currency: string };
        category: { slug: string };
      };
    };
    if (p.status !== "active") continue;
    out.push({ id: p.id, slug: p.slug, currency: p.price.currency, categorySlug: p.category.slug });
  }
  return out;
}
