/** Each read model's projection version by name (see `readModelVersions`). */
export type ReadModelVersions = Readonly<Record<string, number>>;

/** What a set of views was built by: the namespace is derived from it, nothing else. */
export interface ViewGeneration {
  /** lowercase letters and digits; the store's tables or keys live under it */
  namespace: string;
  /** each read model's projection version */
  versions: ReadModelVersions;
  /** the store's layout version (SQL tables, Redis keys) */
  layout: number;
  /** bumped by an operator (`VIEW_EPOCH`) to rebuild everything without a code change */
  epoch: number;
}

// FNV-1a, 32 bits, twice with different seeds: a stable short name, no crypto
// needed (a collision would only mean a rebuild is skipped, and 64 bits makes
// that beyond unlikely across the handful of versions a deployment sees).
const fnv1a = (text: string, seed: number): string => {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
};

/**
 * The generation a build of this code produces: same versions, layout and
 * epoch → same namespace, on every runtime and store.
 *
 * @example
 * viewGeneration({ catalog: 1, search: 2 }, 1, 0).namespace; // → "g" + 16 hex digits
 */
export function viewGeneration(
  versions: ReadModelVersions,
  layout: number,
  epoch = 0,
): ViewGeneration {
  const canonical = JSON.stringify([
    Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    layout,
    epoch,
  ]);
  return {
    namespace: `g${fnv1a(canonical, 0x811c9dc5)}${fnv1a(canonical, 0x01000193)}`,
    versions,
    layout,
    epoch,
  };
}
