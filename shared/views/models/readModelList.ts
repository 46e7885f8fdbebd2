import { attributeValues } from "./attributeValues/attributeValues.ts";
import { catalogListing } from "./catalogListing/catalogListing.ts";
import { categoryListing } from "./categoryListing/categoryListing.ts";
import { categoryStats } from "./categoryStats/categoryStats.ts";
import { navigation } from "./navigation/navigation.ts";
import { productPage } from "./productPage/productPage.ts";
import { productsByAttribute } from "./productsByAttribute/productsByAttribute.ts";
import { search } from "./search/search.ts";

/**
 * Every storefront read. Routes, the OpenAPI paths, the storefront client,
 * each store's `read`, the read model versions and the contract suite are
 * derived from this list: a new read model is its own folder and a line here.
 */
export const readModelList = [
  productPage,
  navigation,
  categoryListing,
  categoryStats,
  search,
  productsByAttribute,
  attributeValues,
  catalogListing,
] as const;

export type ReadModelName = (typeof readModelList)[number]["name"];
export type ReadModelOf<N extends ReadModelName> = Extract<
  (typeof readModelList)[number],
  { name: N }
>;
