import type { Category, Product, ProductStatus } from "../../shared/domain/catalog.ts";
import { decide } from "./decide.ts";
import { DeciderSpecification } from "./deciderSpecification.ts";

/** The decider with ids that a spec can write down. */
export const spec = DeciderSpecification.for(decide, {
  category: () => "cat_new",
  product: () => "prd_new",
});

export const home: Category = {
  id: "cat_home",
  slug: "home",
  name: "Home",
  parentId: null,
  version: 1,
};

export const lamps: Category = {
  id: "cat_lamps",
  slug: "lamps",
  name: "Lamps",
  parentId: "cat_home",
  version: 4,
};

/** A product at version 7 with 3 in stock unless told otherwise. */
export const lamp = (status: ProductStatus = "active", stock = 3): Product => ({
  id: "prd_lamp",
  sku: "LAMP-1",
  slug: "desk-lamp",
  name: "Desk lamp",
  description: "Brass",
  categoryId: "cat_lamps",
  price: { amount: 2500, currency: "EUR" },
  status,
  attributes: { color: "brass" },
  stock,
  createdSeq: 5,
  version: 7,
});

/** The details of a refusal for `expectedVersion: 6` against `lamp()`. */
export const conflict = { expectedVersion: 6, actualVersion: 7 };
