import { catalogListingContract } from "../../views/models/catalogListing/catalogListing.contract.ts";
import type { ReadModelName } from "../../views/models/readModelList.ts";
import { attributesContract, attributeValuesContract } from "./attributes.ts";
import type { OpenStore } from "./harness.ts";
import { listingContract } from "./listing.ts";
import { productPageContract } from "./productPage.ts";
import { searchContract } from "./search.ts";
import { categoryStatsContract, navigationContract } from "./statsAndNavigation.ts";

/**
 * Each read model's hand-written contract section, by model: a model without
 * one does not compile. (Every model is also held to the reference store on
 * its own examples by the property section, derived from the list.)
 */
export const modelContracts: { [N in ReadModelName]: (open: OpenStore) => void } = {
  productPage: productPageContract,
  navigation: navigationContract,
  categoryListing: listingContract,
  categoryStats: categoryStatsContract,
  search: searchContract,
  productsByAttribute: attributesContract,
  attributeValues: attributeValuesContract,
  catalogListing: catalogListingContract,
};
