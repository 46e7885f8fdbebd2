import type { StoredEvent } from "../events/types.ts";
import type {
  AttributeQuery,
  AttributeValues,
  CategoryListingQuery,
  CategoryStats,
  NavigationNode,
  Page,
  ProductPage,
  ProductSummary,
  SearchHit,
  SearchQuery,
} from "./readModels.ts";

/**
 * What `apply` did with a batch.
 * - `applied`: events past the watermark were applied; the new watermark is returned.
 * - `duplicate`: every event was at or below the watermark; nothing changed.
 * - `gap`: the batch starts past `watermark + 1`; nothing changed, pull `missing` first.
 */
export type ApplyResult =
  | { status: "applied"; watermark: number; applied: number }
  | { status: "duplicate"; watermark: number }
  | { status: "gap"; watermark: number; missing: { from: number; to: number } };

/** Every read answers with the watermark it was served at, found or not. */
export interface Read<T> {
  watermark: number;
  data: T | null;
}

/**
 * The port every view store implements (SQL on libSQL, Upstash Redis). A store
 * is done when it passes `testViewStore` in `shared/testing/` unchanged.
 */
export interface ViewStore {
  /**
   * Applies the events after the watermark, in seq order, atomically with the
   * new watermark. The batch may hold duplicates and be unsorted; it must be
   * contiguous once sorted and de-duplicated, else the result is `gap`.
   */
  apply(events: readonly StoredEvent[]): Promise<ApplyResult>;
  watermark(): Promise<number>;
  productPage(slug: string): Promise<Read<ProductPage>>;
  /** `data` is null when the category does not exist */
  categoryListing(slug: string, query: CategoryListingQuery): Promise<Read<Page<ProductSummary>>>;
  search(query: SearchQuery): Promise<Read<Page<SearchHit>>>;
  categoryStats(slug: string): Promise<Read<CategoryStats>>;
  navigation(): Promise<Read<NavigationNode[]>>;
  /**
   * Active products whose attribute `name` has `value` (as text), by name then
   * id. Never null: an unknown attribute or value is an empty page.
   */
  productsByAttribute(
    name: string,
    value: string,
    query: AttributeQuery,
  ): Promise<Read<Page<ProductSummary>>>;
  /** Each value of attribute `name` with its count of active products; never null. */
  attributeValues(name: string): Promise<Read<AttributeValues>>;
  /** canonical hash of all view contents (not the watermark); equal across stores holding equal views */
  digest(): Promise<string>;
  close(): Promise<void>;
}
