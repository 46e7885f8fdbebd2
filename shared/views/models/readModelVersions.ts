import type { ReadModelVersions } from "../generations/viewGeneration.ts";
import { readModelList } from "./readModelList.ts";

/**
 * The version of what the projection stores: `catalog` for the product and
 * category records every read model is derived from, and each read model's
 * own. A changed version (or a new read model) makes every replica and the
 * primary rebuild all views from the log in a new namespace beside the live
 * one, keep serving the live one meanwhile, and switch atomically when the
 * new one has caught up.
 */
export const readModelVersions: ReadModelVersions = {
  catalog: 1,
  ...Object.fromEntries(readModelList.map((m) => [m.name, m.version])),
};
