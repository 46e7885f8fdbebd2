import type { Attributes, Money, ProductStatus } from "../domain/catalog.ts";

export type StockStatus = "in_stock" | "low_stock" | "out_of_stock";

export interface CategoryRef {
  id: string;
  slug: string;
  name: string;
}

/** The product page: everything one page shows, pre-joined. Drafts and deleted products have none. */
export interface ProductPage {
  id: string;
  sku: string;
  slug: string;
  name: string;
  description: string;
  price: Money;
  status: Exclude<ProductStatus, "draft">;
  attributes: Attributes;
  stock: number;
  stockStatus: StockStatus;
  category: CategoryRef & { path: CategoryRef[] };
  createdSeq: number;
  /** the product's own version, for `expectedVersion` */
  version: number;
}

/** One row of a category listing or a search result. */
export interface ProductSummary {
  id: string;
  slug: string;
  name: string;
  price: Money;
  stockStatus: StockStatus;
  createdSeq: number;
  version: number;
}

export const listingSorts = ["price_asc", "price_desc", "name", "newest"] as const;
export type ListingSort = (typeof listingSorts)[number];

export interface Page<T> {
  items: T[];
  /** opaque; pass back as `cursor` for the next page, null on the last page */
  nextCursor: string | null;
}

export interface CategoryListingQuery {
  sort: ListingSort;
  inStock: boolean;
  limit: number;
  cursor?: string;
}

/** A page of the active products whose attribute `name` has a value. */
export interface AttributeQuery {
  limit: number;
  cursor?: string;
}

/** One value of an attribute and how many active products have it. */
export interface AttributeValueCount {
  value: string;
  count: number;
}

/** An attribute's values across active products, in code-point order of the value. */
export interface AttributeValues {
  name: string;
  values: AttributeValueCount[];
}

export interface SearchQuery {
  q: string;
  limit: number;
  cursor?: string;
}

export interface SearchHit extends ProductSummary {
  score: number;
}

export interface PriceStats {
  currency: string;
  count: number;
  min: number;
  max: number;
  /** integer minor units, rounded half up */
  avg: number;
}

export interface CategoryStats {
  category: CategoryRef;
  /** active products directly in this category */
  productCount: number;
  inStockCount: number;
  /** one entry per currency present, sorted by currency */
  prices: PriceStats[];
  version: number;
}

export interface NavigationNode extends CategoryRef {
  productCount: number;
  /** active products in this category and all below it */
  totalProductCount: number;
  version: number;
  children: NavigationNode[];
}
