import { describe } from "vitest";
import { applyProtocolContract } from "./contract/applyProtocol.ts";
import { attributesContract } from "./contract/attributes.ts";
import { digestContract } from "./contract/digest.ts";
import { fanOutContract } from "./contract/fanOut.ts";
import { storeOpener, type ViewStoreFactory } from "./contract/harness.ts";
import { listingContract } from "./contract/listing.ts";
import { productPageContract } from "./contract/productPage.ts";
import { propertyContract } from "./contract/properties.ts";
import { searchContract } from "./contract/search.ts";
import { statsAndNavigationContract } from "./contract/statsAndNavigation.ts";

export type { ViewStoreFactory } from "./contract/harness.ts";

export interface ContractOptions {
  /** fast-check runs of the property test; default `VIEW_PROPERTY_RUNS` or 200 */
  propertyRuns?: number;
}

const defaultRuns = () => {
  const fromEnv = Number(globalThis.process?.env?.VIEW_PROPERTY_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 200;
};

/**
 * The contract every ViewStore passes unchanged: the apply protocol, every
 * query and its edge cases, fan-out of renames, moves and removals, digest
 * equality, and a property test holding the store to a rebuild and to the
 * reference fold over random histories delivered out of order.
 *
 * @example
 * testViewStore("SQL on :memory:", async () => {
 *   const store = await openSqlViewStore(":memory:");
 *   return { store, cleanup: () => store.close() };
 * }, { propertyRuns: 200 });
 */
export function testViewStore(
  name: string,
  factory: ViewStoreFactory,
  options: ContractOptions = {},
): void {
  describe(`ViewStore contract: ${name}`, () => {
    const open = storeOpener(factory);
    applyProtocolContract(open);
    productPageContract(open);
    listingContract(open);
    searchContract(open);
    statsAndNavigationContract(open);
    fanOutContract(open);
    attributesContract(open);
    digestContract(open);
    propertyContract(factory, options.propertyRuns ?? defaultRuns());
  });
}
