/**
 * Each read model's projection version. Bump one when what the projection
 * stores for that model changes (a new field, a new rule): every replica and
 * the primary then rebuild all views from the log in a new namespace beside
 * the live one, keep serving the live one meanwhile, and switch atomically
 * when the new one has caught up. A new read model is a new entry here.
 */
export const readModelVersions = {
  /** the product and category records the other models are derived from */
  catalog: 1,
  productPage: 1,
  categoryListing: 1,
  search: 1,
  categoryStats: 1,
  navigation: 1,
  /** products by attribute value (faceted filtering) and each attribute's value counts */
  facets: 1,
} as const satisfies Record<string, number>;

export type ReadModelVersions = Readonly<Record<string, number>>;
