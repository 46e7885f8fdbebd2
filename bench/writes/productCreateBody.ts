/** A single `product.create` whose sku and slug carry `{{n}}`, made unique per request. */
export const productCreateTemplate = JSON.stringify({
  type: "product.create",
  sku: "W-{{n}}",
  slug: "w-{{n}}",
  name: "Bench oak lamp",
  description: "written by the write benchmark",
  categorySlug: "cat-007",
  price: { amount: 4_999, currency: "EUR" },
  stock: 10,
  status: "active",
});
