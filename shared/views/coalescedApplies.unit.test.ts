import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../events/types.ts";
import { generateHistory } from "../testing/randomHistory.ts";
import { coalescedApplies } from "./coalescedApplies.ts";
import { createMemoryViewStore } from "./stores/memory/memoryViewStore.ts";
import type { ViewStore } from "./viewStore.ts";

/**
 * The memory store, noting the seqs of every apply that reaches it; with
 * `failMerged`, an apply of more than one event throws.
 */
function counted(failMerged = false) {
  const inner = createMemoryViewStore();
  const batches: number[][] = [];
  const store: ViewStore = {
    ...inner,
    apply: async (events) => {
      batches.push(events.map((e) => e.seq));
      // a store's apply takes a while (a transaction, a round trip): let others queue meanwhile
      await new Promise((r) => setTimeout(r, 1));
      if (failMerged && events.length > 1) throw new Error("too many statements in one batch");
      return inner.apply(events);
    },
    watermark: () => inner.watermark(),
    read: (model, plan) => inner.read(model, plan),
    digest: (options) => inner.digest(options),
  };
  return { store, batches, inner };
}

const history = generateHistory(60, 3);
const one = (seq: number) => [history[seq - 1] as StoredEvent];

describe("coalescedApplies", () => {
  it("applies the pushes waiting for a turn as one, answering each for its own events", async () => {
    const { store, batches, inner } = counted();
    const coalesced = coalescedApplies(store);
    const results = await Promise.all([1, 2, 3, 4, 5].map((seq) => coalesced.apply(one(seq))));
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    expect(results).toEqual(
      [1, 2, 3, 4, 5].map(() => ({ status: "applied", watermark: 5, applied: 1 })),
    );

    // those arriving while an apply runs go together next; one all applied before is a duplicate
    const running = coalesced.apply(one(6));
    await new Promise((r) => setTimeout(r, 0));
    const later = [coalesced.apply([...one(4), ...one(5)]), coalesced.apply(one(7))];
    const again = await Promise.all([running, ...later]);
    expect(batches.slice(1)).toEqual([[6], [4, 5, 7]]);
    expect(again).toEqual([
      { status: "applied", watermark: 6, applied: 1 },
      { status: "duplicate", watermark: 7 },
      { status: "applied", watermark: 7, applied: 1 },
    ]);

    const reference = createMemoryViewStore();
    await reference.apply(history.slice(0, 7));
    expect((await inner.digest()).digest).toBe((await reference.digest()).digest);
  });

  it("applies a merged batch that reaches past a hole up to the hole, the rest in their own turns", async () => {
    const { store, batches } = counted();
    const coalesced = coalescedApplies(store);
    await coalesced.apply(one(1));
    const results = await Promise.all([
      coalesced.apply(one(1)),
      coalesced.apply(one(4)),
      coalesced.apply(one(2)),
    ]);
    // 1, 4 and 2 reach past 3: 1 and 2 go on together, and 4 in its turn finds the hole
    expect(batches).toEqual([[1], [1, 4, 2], [1, 2], [4]]);
    expect(results).toEqual([
      { status: "duplicate", watermark: 2 },
      { status: "gap", watermark: 2, missing: { from: 3, to: 3 } },
      { status: "applied", watermark: 2, applied: 1 },
    ]);
  });

  it("has a push alone past a hole wait for the next push, and applies the two together", async () => {
    const { store, batches } = counted();
    const coalesced = coalescedApplies(store, { holeWaitMs: 60_000 });
    await coalesced.apply(one(1));
    const ahead = coalesced.apply(one(3));
    while (batches.length < 2) await new Promise((r) => setTimeout(r, 1));
    // 3 found the hole at 2; 2 arrives while it waits (or while its apply still runs)
    const behind = coalesced.apply(one(2));
    expect(await Promise.all([ahead, behind])).toEqual([
      { status: "applied", watermark: 3, applied: 1 },
      { status: "applied", watermark: 3, applied: 1 },
    ]);
    expect(batches).toEqual([[1], [3], [3, 2]]);
  });

  it("answers a gap when nothing arrives to fill the hole within the wait", async () => {
    const { store, batches } = counted();
    const coalesced = coalescedApplies(store, { holeWaitMs: 1 });
    await coalesced.apply(one(1));
    expect(await coalesced.apply(one(4))).toEqual({
      status: "gap",
      watermark: 1,
      missing: { from: 2, to: 3 },
    });
    expect(batches).toEqual([[1], [4]]);
  });

  it("lets each push try alone when a merged apply fails", async () => {
    const { store, batches } = counted(true);
    const coalesced = coalescedApplies(store);
    const results = await Promise.all([1, 2, 3].map((seq) => coalesced.apply(one(seq))));
    expect(batches).toEqual([[1, 2, 3], [1], [2, 3], [2], [3]]);
    expect(results.map((r) => r.watermark)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(["applied"]));
  });
});
