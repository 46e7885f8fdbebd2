import { describe, expect, it } from "vitest";
import { formatValue, niceStep, timeTicks, valueAxis } from "./chartScales.ts";

describe("chart scales", () => {
  it("rounds steps to 1, 2 or 5 times a power of ten", () => {
    expect([0.3, 0.13, 1, 1.5, 3, 7, 130, 0].map(niceStep)).toEqual([
      0.5, 0.2, 1, 2, 5, 10, 200, 1,
    ]);
  });

  it("a value axis from 0 reaches at least the highest value in round steps", () => {
    expect(valueAxis(13)).toEqual({ top: 15, ticks: [0, 5, 10, 15] });
    expect(valueAxis(0.7)).toEqual({ top: 0.8, ticks: [0, 0.2, 0.4, 0.6, 0.8] });
    expect(valueAxis(3, true)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(valueAxis(0)).toEqual({ top: 1, ticks: [0, 0.5, 1] });
    expect(valueAxis(0, true)).toEqual({ top: 1, ticks: [0, 1] });
    for (const max of [0.01, 1, 9.99, 10, 42, 1_234, 98_765]) {
      const { top, ticks } = valueAxis(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it("time ticks count back from now in round steps, labelled relative to it", () => {
    expect(timeTicks(0, 600_000).map((t) => t.label)).toEqual([
      "−10 min",
      "−8 min",
      "−6 min",
      "−4 min",
      "−2 min",
      "now",
    ]);
    const ticks = timeTicks(1_000, 46_000);
    expect(ticks.map((t) => t.label)).toEqual(["−40 s", "−30 s", "−20 s", "−10 s", "now"]);
    expect(ticks.at(-1)?.at).toBe(46_000);
    expect(timeTicks(5, 5).map((t) => t.label)).toEqual(["now"]);
  });

  it("formats values compactly", () => {
    expect([0, 0.25, 12.5, 333.333, 1_234, 2_500_000, null].map(formatValue)).toEqual([
      "0",
      "0.25",
      "12.5",
      "333",
      "1.23K",
      "2.5M",
      "—",
    ]);
  });
});
