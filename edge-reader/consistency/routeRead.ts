export type PrimaryReason = "behind" | "stale";

export type Route = { to: "replica" } | { to: "primary"; reason: PrimaryReason };

/**
 * Where a read goes, given what the replica knows. Pure: the middleware does
 * the waiting and the I/O.
 * - behind: the replica's watermark is below the version the client must see;
 * - stale: the client bounded staleness and the replica has not heard from the
 *   primary (a push or a pull) within that bound.
 */
export function routeRead(input: {
  required: number;
  watermark: number;
  maxStalenessMs: number | null;
  sinceHeardMs: number | null;
}): Route {
  if (input.watermark < input.required) return { to: "primary", reason: "behind" };
  if (
    input.maxStalenessMs !== null &&
    (input.sinceHeardMs === null || input.sinceHeardMs > input.maxStalenessMs)
  ) {
    return { to: "primary", reason: "stale" };
  }
  return { to: "replica" };
}
