import { describe } from "vitest";
import { readModelList } from "../views/models/readModelList.ts";
import { applyProtocolContract } from "./contract/applyProtocol.ts";
import { digestContract } from "./contract/digest.ts";
import { fanOutContract } from "./contract/fanOut.ts";
import { storeOpener, type ViewStoreFactory } from "./contract/harness.ts";
import { modelContracts } from "./contract/modelContracts.ts";
import { propertyContract } from "./contract/properties.ts";

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
 * read model's section (`modelContracts`, one per model of the list), fan-out
 * of renames, moves and removals, digest equality, and a property test
 * holding every read model of the store to a rebuild and to the reference
 * store over random histories delivered out of order.
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
    for (const model of readModelList) modelContracts[model.name](open);
    fanOutContract(open);
    digestContract(open);
    propertyContract(factory, options.propertyRuns ?? defaultRuns());
  });
}
