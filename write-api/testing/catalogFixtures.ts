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
