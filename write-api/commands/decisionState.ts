import type { Category, Product } from "../../shared/domain/catalog.ts";

/**
 * What a command needs to know about the catalog to decide, loaded inside the
 * write transaction before `decide` runs. Absent fields were not needed.
 */
export interface DecisionState {
  /** the command's target category (by id) or the one named by categorySlug */
  category?: Category | null;
  /** the parent named by parentSlug */
  parent?: Category | null;
  product?: Product | null;
  /** true when the slug (category or product) is already used */
  slugTaken?: boolean;
  skuTaken?: boolean;
}
