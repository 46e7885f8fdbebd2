import { describe, expect, it } from "vitest";
import { readerStatusFixture } from "../../../shared/testing/readerStatusFixture.ts";
import type { ReaderProbe } from "../dashboardView.ts";
import { historySeries, perSecond } from "./historySeries.ts";
import {
  type RegionSample,
  type ReplicationSample,
  replicationSample,
} from "./replicationSample.ts";

const t0 = Date.parse("2026-01-01T00:00:00.000Z");
const eu = "http://eu.test/v1/status";
const us = "http://us.test/v1/status";

const region = (url: string, over: Partial<RegionSample>): RegionSample => ({
  url,
  region: url === eu ? "eu" : "us",
  watermark: 0,
  lagEvents: 0,
  lagMs: 0,
  primaryFallbacks: 0,
  ...over,
});
const sample = (s: number, head: number | null, regions: RegionSample[]): ReplicationSample => ({
  at: t0 + s * 1_000,
  head,
  regions,
});
const settings = { sampleMs: 1_000, windowMs: 60_000 };

describe("perSecond", () => {
  it("is the delta over the seconds between the readings", () => {
    expect(perSecond({ at: 0, value: 10 }, { at: 2_000, value: 30 }, "position")).toBe(10);
    expect(perSecond({ at: 0, value: 10 }, { at: 500, value: 10 }, "counter")).toBe(0);
    expect(perSecond({ at: 0, value: 0 }, { at: 3_000, value: 1 }, "counter")).toBe(0.333);
  });

  it("takes a counter that dropped as restarted from 0, and gives a position that dropped no rate", () => {
    expect(perSecond({ at: 0, value: 10 }, { at: 2_000, value: 4 }, "counter")).toBe(2);
    expect(perSecond({ at: 0, value: 10 }, { at: 2_000, value: 4 }, "position")).toBeNull();
  });

  it("has no rate across a missing reading or no time", () => {
    expect(perSecond({ at: 0, value: null }, { at: 1_000, value: 4 }, "counter")).toBeNull();
    expect(perSecond({ at: 0, value: 1 }, { at: 1_000, value: null }, "position")).toBeNull();
    expect(perSecond({ at: 1_000, value: 1 }, { at: 1_000, value: 2 }, "position")).toBeNull();
  });
});

describe("historySeries", () => {
  it("rates from the deltas between samples, lags as sampled, one set of lines per region", () => {
    const samples = [
      sample(0, 100, [region(eu, { watermark: 100 }), region(us, { watermark: 100 })]),
      sample(2, 140, [
        region(eu, { watermark: 120, lagEvents: 20, lagMs: 900, primaryFallbacks: 2 }),
        region(us, { watermark: 140 }),
      ]),
      sample(4, 140, [
        region(eu, { watermark: 140, primaryFallbacks: 2 }),
        region(us, { watermark: 140 }),
      ]),
    ];
    const h = historySeries(samples, { ...settings, now: t0 + 4_000 });
    expect(h.from).toBe(t0);
    expect(h.to).toBe(t0 + 4_000);
    expect(h.writeRate).toEqual([
      [t0 + 2_000, 20],
      [t0 + 4_000, 0],
    ]);
    expect(h.regions.map((r) => r.region)).toEqual(["eu", "us"]);
    const [euLines, usLines] = h.regions;
    expect(euLines).toEqual({
      url: eu,
      region: "eu",
      lagEvents: [
        [t0, 0],
        [t0 + 2_000, 20],
        [t0 + 4_000, 0],
      ],
      lagMs: [
        [t0, 0],
        [t0 + 2_000, 900],
        [t0 + 4_000, 0],
      ],
      applyRate: [
        [t0 + 2_000, 10],
        [t0 + 4_000, 10],
      ],
      fallbackRate: [
        [t0 + 2_000, 1],
        [t0 + 4_000, 0],
      ],
    });
    expect(usLines?.applyRate).toEqual([
      [t0 + 2_000, 20],
      [t0 + 4_000, 0],
    ]);
  });

  it("an unreachable region or an unread primary is a gap, not a zero", () => {
    const samples = [
      sample(0, 10, [region(eu, { watermark: 10 })]),
      sample(1, 12, [
        region(eu, { watermark: null, lagEvents: null, lagMs: null, primaryFallbacks: null }),
      ]),
      sample(2, null, [region(eu, { watermark: 14, lagEvents: null, lagMs: null })]),
      sample(3, 16, [region(eu, { watermark: 16 })]),
    ];
    const h = historySeries(samples, { ...settings, now: t0 + 3_000 });
    expect(h.writeRate.map(([, v]) => v)).toEqual([2, null, null]);
    expect(h.regions[0]?.applyRate.map(([, v]) => v)).toEqual([null, null, 2]);
    expect(h.regions[0]?.fallbackRate.map(([, v]) => v)).toEqual([null, null, 0]);
    expect(h.regions[0]?.lagEvents.map(([, v]) => v)).toEqual([0, null, null, 0]);
  });

  it("keeps the window: older samples only feed the first rate", () => {
    const samples = [0, 1, 2, 3].map((s) =>
      sample(s * 30, s * 60, [region(eu, { watermark: s * 60 })]),
    );
    const h = historySeries(samples, { ...settings, now: t0 + 90_000 });
    expect(h.from).toBe(t0 + 30_000);
    expect(h.writeRate).toEqual([
      [t0 + 30_000, 2],
      [t0 + 60_000, 2],
      [t0 + 90_000, 2],
    ]);
    expect(h.regions[0]?.lagEvents.map(([at]) => at)).toEqual([
      t0 + 30_000,
      t0 + 60_000,
      t0 + 90_000,
    ]);
  });

  it("a region is named as it last answered; no samples give empty lines from now", () => {
    const samples = [
      sample(0, 1, [region(eu, { region: "127.0.0.1:1", watermark: null })]),
      sample(1, 1, [region(eu, { region: "eu-renamed", watermark: 1 })]),
    ];
    expect(historySeries(samples, { ...settings, now: t0 + 1_000 }).regions[0]?.region).toBe(
      "eu-renamed",
    );
    expect(historySeries([], { ...settings, now: t0 })).toEqual({
      ...settings,
      from: t0,
      to: t0,
      writeRate: [],
      regions: [],
    });
  });
});

describe("replicationSample", () => {
  const probe = (watermark: number, primaryFallbacks: number): ReaderProbe => ({
    url: eu,
    ok: true,
    status: readerStatusFixture({ region: "eu", watermark, primaryFallbacks }),
  });

  it("lag from the head and the first unapplied commit; the reader's own fallback count", () => {
    const s = replicationSample({
      at: t0,
      head: 10,
      probes: [probe(7, 3), { url: us, ok: false, error: "HTTP 502" }],
      commitTimes: new Map([[8, t0 - 1_500]]),
    });
    expect(s.regions).toEqual([
      { url: eu, region: "eu", watermark: 7, lagEvents: 3, lagMs: 1_500, primaryFallbacks: 3 },
      {
        url: us,
        region: "us.test",
        watermark: null,
        lagEvents: null,
        lagMs: null,
        primaryFallbacks: null,
      },
    ]);
  });

  it("without the primary's head, no lag, but the watermark still counts", () => {
    const s = replicationSample({
      at: t0,
      head: null,
      probes: [probe(7, 0)],
      commitTimes: new Map(),
    });
    expect(s.regions[0]).toMatchObject({ watermark: 7, lagEvents: null, lagMs: null });
  });
});
