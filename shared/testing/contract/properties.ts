import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../events/types.ts";
import { createMemoryViewStore } from "../../views/stores/memory/memoryViewStore.ts";
import type { ViewStore } from "../../views/viewStore.ts";
import { diffSnapshots, viewSnapshot } from "../compareViews.ts";
import { historyArbitrary } from "../randomHistory.ts";
import { referenceFold } from "../referenceFold.ts";
import type { ViewStoreFactory } from "./harness.ts";

/** How a flaky network delivers a log: batch sizes plus per-batch noise (shuffle, repeat, swap). */
export const deliveryArbitrary = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
  noise: fc.array(fc.nat(99), { minLength: 1, maxLength: 24 }),
});
export type Delivery = typeof deliveryArbitrary extends fc.Arbitrary<infer D> ? D : never;

/**
 * The batches a reader receives: cut by `sizes`, some shuffled, some sent
 * twice, some swapped with the next one, some lost (reconcile finds them).
 *
 * @example
 * deliveries(events, { sizes: [2], noise: [0] }); // → [[e1, e2], [e3, e4], …] with noise applied
 */
export function deliveries(events: readonly StoredEvent[], d: Delivery): StoredEvent[][] {
  const batches: StoredEvent[][] = [];
  for (let i = 0, k = 0; i < events.length; k++) {
    const size = d.sizes[k % d.sizes.length] ?? 1;
    batches.push(events.slice(i, i + size));
    i += size;
  }
  const out: StoredEvent[][] = [];
  batches.forEach((batch, i) => {
    const n = d.noise[i % d.noise.length] ?? 0;
    if (n < 10) return; // lost
    const b = n % 3 === 0 ? [...batch].reverse() : batch;
    out.push(b);
    if (n % 4 === 0) out.push(b);
    if (n % 5 === 0 && out.length > 1) out.push(...(out.splice(-2, 1) as StoredEvent[][]));
  });
  return out;
}

/**
 * Feeds deliveries like an edge reader: on a gap it pulls from the watermark,
 * then retries; at the end it reconciles whatever was lost.
 *
 * @example
 * await feedLikeAReader(store, log.events, deliveries(log.events, delivery));
 */
export async function feedLikeAReader(
  store: ViewStore,
  log: readonly StoredEvent[],
  batches: readonly StoredEvent[][],
  pullSize = 5,
): Promise<void> {
  const pull = async () => {
    const w = await store.watermark();
    const result = await store.apply(log.slice(w, w + pullSize));
    expect(result.status).not.toBe("gap");
  };
  for (const batch of batches) {
    for (let r = await store.apply(batch); r.status === "gap"; r = await store.apply(batch)) {
      expect(r.missing.from).toBe(r.watermark + 1);
      await pull();
    }
  }
  while ((await store.watermark()) < log.length) await pull();
}

/**
 * Random histories through random deliveries equal a rebuild and the reference fold.
 *
 * @example
 * propertyContract(factory, 200);
 */
export function propertyContract(factory: ViewStoreFactory, runs: number): void {
  describe("a random history through a flaky network", () => {
    it(`equals a rebuild from seq 0 and the reference fold (${runs} runs)`, {
      timeout: 600_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(historyArbitrary(), deliveryArbitrary, async (events, delivery) => {
          const incremental = await factory();
          const rebuilt = await factory();
          try {
            await feedLikeAReader(incremental.store, events, deliveries(events, delivery));
            expect(await rebuilt.store.apply(events)).toMatchObject({ status: "applied" });
            const reference = createMemoryViewStore();
            await reference.apply(events);
            const snap = await viewSnapshot(incremental.store, events);
            expect(snap.digest).toBe((await referenceFold(events)).digest);
            expect(diffSnapshots(snap, await viewSnapshot(rebuilt.store, events))).toEqual([]);
            expect(diffSnapshots(snap, await viewSnapshot(reference, events))).toEqual([]);
          } finally {
            await incremental.cleanup();
            await rebuilt.cleanup();
          }
        }),
        { numRuns: runs },
      );
    });
  });
}
