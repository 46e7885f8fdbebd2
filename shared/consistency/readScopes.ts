/**
 * The read scopes a consistency token can name: what a storefront read
 * depends on, and what a write changes. A write's scopes must cover every read
 * whose answer it can change (a property test holds the two sides together:
 * `write-api/consistency/touchedScopes.unit.test.ts`); a read model names the
 * scopes it depends on (`ReadModel.scopes`).
 */
export const readScopes = {
  /** one product's page, by slug */
  product: (slug: string) => `p:${slug}`,
  /** one category's listing and stats, by slug */
  category: (slug: string) => `c:${slug}`,
  /** the catalog-wide listing */
  catalog: "all",
  search: "search",
  /** facet pages and attribute values */
  facets: "facets",
  /** the category tree with its counts */
  navigation: "nav",
} as const;
