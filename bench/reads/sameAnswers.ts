import { isDeepStrictEqual } from "node:util";

/**
 * Whether `origin` answers `paths` exactly as `reference` does (parsed JSON,
 * key order aside): the baseline must serve the same data, or its speed
 * means nothing.
 */
export async function sameAnswers(
  reference: string,
  origin: string,
  paths: string[],
): Promise<boolean> {
  for (const path of paths) {
    const [a, b] = await Promise.all(
      [reference, origin].map(async (o) => (await fetch(o + path)).json() as Promise<unknown>),
    );
    if (!isDeepStrictEqual(a, b)) return false;
  }
  return true;
}
