import { describe, expect, it } from "vitest";
import { generateHistory } from "../testing/randomHistory.ts";
import { createMemoryViewStore } from "../views/stores/memory/memoryViewStore.ts";
import { type EventSource, memoryEventSource } from "./eventSource.ts";
import { LogHoleError, readLogBatch, readLogToHead, TargetBehindError } from "./logReader.ts";

const counting = (source: EventSource) => {
  const pulls: [number, number][] = [];
  const pull = (after: number, limit: number) => {
    pulls.push([after, limit]);
    return source.pull(after, limit);
  };
  return { pulls, source: { pull } };
};

describe("the log reader", () => {
  it("applies a batch of several pages at once, from the checkpoint", async () => {
    const events = generateHistory(50, 1);
    const { pulls, source } = counting(memoryEventSource(events));
    const store = createMemoryViewStore();
    const batch = await readLogBatch(source, store, 0, { pageSize: 10, batchSize: 25 });
    expect(pulls).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
    expect(batch).toMatchObject({ watermark: 25, head: 50, applied: 25 });
    expect(await store.watermark()).toBe(25);
  });

  it("reads to the head batch by batch, from any checkpoint", async () => {
    const events = generateHistory(50, 2);
    const store = createMemoryViewStore();
    const seen: number[] = [];
    const options = { pageSize: 20, onBatch: (b: { watermark: number }) => seen.push(b.watermark) };
    const source = memoryEventSource(events);
    await store.apply(events.slice(0, 10));
    expect(await readLogToHead(source, store, 10, options)).toEqual({
      watermark: 50,
      head: 50,
      applied: 40,
    });
    expect(seen).toEqual([30, 50]);
    expect(await readLogToHead(source, store, 50, options)).toEqual({
      watermark: 50,
      head: 50,
      applied: 0,
    });
  });

  it("names the missing seqs of a hole in the log, and of a head it serves nothing up to", async () => {
    const events = generateHistory(30, 3);
    const holed = memoryEventSource(events.filter((e) => e.seq !== 12 && e.seq !== 13));
    const store = createMemoryViewStore();
    await expect(readLogToHead(holed, store, 0, { pageSize: 100 })).rejects.toMatchObject({
      name: "LogHoleError",
      code: "unavailable",
      missing: { from: 12, to: 13 },
    });
    const cut: EventSource = { pull: async () => ({ events: [], head: 30 }) };
    const error = await readLogBatch(cut, store, 11, { pageSize: 100, target: "the test" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LogHoleError);
    expect((error as Error).message).toBe("the log is missing seqs 12-30 after the test");
  });

  it("tells a target behind its checkpoint from a hole in the log", async () => {
    const events = generateHistory(30, 4);
    const error = await readLogBatch(memoryEventSource(events), createMemoryViewStore(), 10, {
      pageSize: 100,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetBehindError);
    expect(error).toMatchObject({ watermark: 0, missing: { from: 1, to: 10 } });
  });

  it("follows a target another apply moved past the batch", async () => {
    const events = generateHistory(30, 5);
    const store = createMemoryViewStore();
    await store.apply(events);
    const batch = await readLogBatch(memoryEventSource(events), store, 0, { pageSize: 10 });
    expect(batch).toMatchObject({ watermark: 30, applied: 0 });
  });
});
