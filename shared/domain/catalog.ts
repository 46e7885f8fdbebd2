/** Money in integer minor units (cents), never floats. */
export interface Money {
  amount: number;
  currency: string;
}

export const productStatuses = ["draft", "active", "archived"] as const;
export type ProductStatus = (typeof productStatuses)[number];

export type Attributes = Record<string, string | number | boolean>;

export interface Category {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  /** seq of the last event that changed this category */
  version: number;
}

export interface Product {
  id: string;
  sku: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  price: Money;
  status: ProductStatus;
  attributes: Attributes;
  stock: number;
  /** seq of the event that created it: the "newest" sort key */
  createdSeq: number;
  /** seq of the last event that changed this product */
  version: number;
}

/**
 * Legal status changes. Delete is allowed from every status and is not listed.
 * Publishing an active product or archiving an archived one is a conflict, not
 * a no-op: an admin who thinks it changed something should hear that it did not.
 */
export const statusTransitions: Record<"publish" | "archive", readonly ProductStatus[]> = {
  publish: ["draft", "archived"],
  archive: ["draft", "active"],
};
