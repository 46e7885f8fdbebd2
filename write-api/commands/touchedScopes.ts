import { readScopes } from "../../shared/consistency/readScopes.ts";
import type { Product } from "../../shared/domain/catalog.ts";
import type { NewEvent } from "../../shared/events/types.ts";

/** What naming a write's scopes needs besides its events. */
export interface ScopeLookups {
  /** a category's slug by id, as it is once the write applied; null when there is none */
  categorySlug(id: string): Promise<string | null>;
}

/** Scopes every change to a listed product reaches: its summary is in all of them. */
const everywhereListed = [readScopes.catalog, readScopes.search, readScopes.facets];

/**
 * The read scopes one command's events change (`readScopes`), or null when
 * they reach too far to name: a renamed category is on the page of every
 * product below it. Over-naming is safe (those reads wait for the write);
 * under-naming would break read-your-writes, which the property test beside
 * this file guards. `before` is the product as the command found it: its slug
 * and the category it leaves.
 *
 * @example
 * await touchedScopes([{ type: "product.priceChanged", aggregateId: "prd_1", data }], { product }, lookups);
 * // → ["p:desk-lamp", "c:lamps", "all", "search", "facets"]
 */
export async function touchedScopes(
  events: readonly NewEvent[],
  before: { product?: Product | null },
  lookups: ScopeLookups,
): Promise<string[] | null> {
  const scopes = new Set<string>();
  // the products this command's events are about, as far as they have come
  const known = new Map<string, { slug: string; categoryId: string }>();
  if (before.product) known.set(before.product.id, before.product);
  const category = async (id: string) => {
    const slug = await lookups.categorySlug(id);
    if (slug !== null) scopes.add(readScopes.category(slug));
  };
  for (const event of events) {
    if (event.type === "category.renamed") return null;
    if (event.type === "category.created") {
      scopes.add(readScopes.navigation).add(readScopes.category(event.data.slug));
      continue;
    }
    if (event.type === "product.created") {
      known.set(event.aggregateId, event.data);
    }
    const product = known.get(event.aggregateId);
    if (!product) return null;
    scopes.add(readScopes.product(product.slug));
    for (const s of everywhereListed) scopes.add(s);
    await category(product.categoryId);
    if (event.type === "product.updated" && event.data.categoryId !== undefined) {
      if (event.data.categoryId !== product.categoryId) scopes.add(readScopes.navigation);
      known.set(event.aggregateId, { ...product, categoryId: event.data.categoryId });
      await category(event.data.categoryId);
    }
    if (
      event.type === "product.created" ||
      event.type === "product.published" ||
      event.type === "product.archived" ||
      event.type === "product.deleted"
    ) {
      // navigation counts a category's active products
      scopes.add(readScopes.navigation);
    }
  }
  return [...scopes];
}
