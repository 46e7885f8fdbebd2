import { currentEventVersions, UnsupportedEventVersionError } from "./eventVersions.ts";
import type { EventData, EventType } from "./types.ts";

type Data = Record<string, unknown>;

/** Turns one event type's data from version n into version n + 1; pure, total on valid input. */
export type Upcaster = (data: Data) => Data;

/**
 * Per type, the upcaster out of each old version: `upcasters[type][n]` takes
 * vn to vn+1. The log is kept forever, so an upcaster is never removed.
 */
export const upcasters: { readonly [T in EventType]?: Readonly<Record<number, Upcaster>> } = {
  "product.stockAdjusted": {
    // v1 `{ id, delta, stock }` → v2 `{ id, previousStock, stock }`
    1: ({ id, delta, stock }) => ({
      id,
      previousStock: (stock as number) - (delta as number),
      stock,
    }),
  },
};

/**
 * Brings an event's data from the version it was stored with to the current
 * one. A version newer than this code knows is refused, never guessed at.
 *
 * @example
 * upcastData("product.stockAdjusted", 1, { id: "prd_1", delta: -2, stock: 3 });
 * // → { id: "prd_1", previousStock: 5, stock: 3 }
 */
export function upcastData<T extends EventType>(
  type: T,
  version: number,
  data: Data,
  seq?: number,
): EventData[T] {
  const current = currentEventVersions[type];
  if (!Number.isInteger(version) || version < 1 || version > current)
    throw new UnsupportedEventVersionError(type, version, seq);
  let upcast = data;
  for (let v = version; v < current; v++) {
    const step = upcasters[type]?.[v];
    if (!step) throw new Error(`no upcaster for ${type} v${v} → v${v + 1}`);
    upcast = step(upcast);
  }
  return upcast as EventData[T];
}
