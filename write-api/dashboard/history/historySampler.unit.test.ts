import { afterEach, describe, expect, it, vi } from "vitest";
import { readerStatusFixture } from "../../../shared/testing/readerStatusFixture.ts";
import type { ReaderProbe } from "../dashboardView.ts";
import { historyCapacity, historySampler } from "./historySampler.ts";

const url = "http://eu.test/v1/status";

/** A primary and one reader the test moves by hand, on a clock it moves too. */
const world = () => {
  const w = {
    clock: Date.parse("2026-01-01T00:00:00.000Z"),
    head: 0,
    watermark: 0,
    fallbacks: 0,
    primaryDown: false,
    asked: [] as number[][],
  };
  const sampler = historySampler({
    probeReaders: async (): Promise<ReaderProbe[]> => [
      {
        url,
        ok: true,
        status: readerStatusFixture({
          region: "eu",
          watermark: w.watermark,
          primaryFallbacks: w.fallbacks,
        }),
      },
    ],
    head: async () => {
      if (w.primaryDown) throw new Error("SQLITE_BUSY");
      return w.head;
    },
    commitTimes: async (seqs) => {
      w.asked.push([...seqs]);
      return new Map(seqs.map((s) => [s, w.clock - 700]));
    },
    now: () => w.clock,
    settings: { sampleMs: 1_000, windowMs: 5_000 },
  });
  return { w, sampler };
};

afterEach(() => {
  vi.useRealTimers();
});

describe("historySampler", () => {
  it("turns samples into rates and lags; a primary it cannot read is a gap", async () => {
    const { w, sampler } = world();
    await sampler.sample();
    w.clock += 1_000;
    w.head = 50;
    w.watermark = 20;
    w.fallbacks = 3;
    await sampler.sample();
    w.clock += 1_000;
    w.primaryDown = true;
    await sampler.sample();
    const h = sampler.history(w.clock);
    expect(h.writeRate.map(([, v]) => v)).toEqual([50, null]);
    const [eu] = h.regions;
    expect(eu?.applyRate.map(([, v]) => v)).toEqual([20, 0]);
    expect(eu?.fallbackRate.map(([, v]) => v)).toEqual([3, 0]);
    expect(eu?.lagEvents.map(([, v]) => v)).toEqual([0, 30, null]);
    expect(eu?.lagMs.map(([, v]) => v)).toEqual([0, 700, null]);
    // commit times asked for only where a reader was behind
    expect(w.asked).toEqual([[], [21]]);
  });

  it("keeps only the window's samples however long it runs", async () => {
    const { w, sampler } = world();
    for (let i = 0; i < 50; i++) {
      w.head = i;
      await sampler.sample();
      w.clock += 1_000;
    }
    const h = sampler.history(w.clock);
    expect(h.regions[0]?.lagEvents.length).toBe(
      historyCapacity({ sampleMs: 1_000, windowMs: 5_000 }) - 1,
    );
    expect(h.writeRate.every(([, v]) => v === 1)).toBe(true);
  });

  it("samples on its interval once started (a second start adds no second timer), and stops", async () => {
    vi.useFakeTimers();
    const { w, sampler } = world();
    sampler.start();
    sampler.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 3; i++) {
      w.clock += 1_000;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    sampler.stop();
    const taken = sampler.history(w.clock).regions[0]?.lagEvents.length;
    expect(taken).toBe(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sampler.history(w.clock).regions[0]?.lagEvents.length).toBe(taken);
  });
});
