import type { EventRow } from "../eventStore/eventStore.ts";
/** Small valid commands for tests; override any field. */
export const categoryCreate = (slug: string, extra: Record<string, unknown> = {}) => ({
  type: "category.create",
  slug,
  name: slug.replaceAll("-", " "),
  ...extra,
});

export const productCreate = (
  slug: string,
  categorySlug: string,
  extra: Record<string, unknown> = {},
) => ({
  type: "product.create",
  sku: `SKU-${slug}`,
  slug,
  name: `Product ${slug}`,
  description: `The ${slug} product`,
  categorySlug,
  price: { amount: 1_000, currency: "EUR" },
  stock: 10,
  ...extra,
});

/**
 * A `category.created` row as the log stores it, for tests that put rows in
 * the log directly (`restoreEvents`): a hole, say, which no command can make.
 */
export const categoryCreatedRow = (seq: number, slug: string): EventRow => ({
  seq,
  type: "category.created",
  aggregate_id: `cat_${slug}`,
  data: JSON.stringify({ id: `cat_${slug}`, slug, name: slug, parentId: null }),
  schema_version: 1,
  at: "2026-12-03T12:00:00.000Z",
});
