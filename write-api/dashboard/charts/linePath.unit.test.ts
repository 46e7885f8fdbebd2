import { describe, expect, it } from "vitest";
import type { Point } from "../history/historySeries.ts";
import { linePath, thinPoints } from "./linePath.ts";

const x = (t: number) => t * 10;
const y = (v: number) => 100 - v;

describe("linePath", () => {
  it("moves to the first point and draws a line through the rest", () => {
    expect(
      linePath(
        [
          [0, 0],
          [1, 50],
          [2, 100],
        ],
        x,
        y,
      ),
    ).toBe("M0 100L10 50L20 0");
  });

  it("breaks the line at a gap and draws a lone point as a dot", () => {
    const points: Point[] = [
      [0, 1],
      [1, null],
      [2, 3],
      [3, 4],
      [4, null],
      [5, null],
    ];
    expect(linePath(points, x, y)).toBe("M0 99L0 99M20 97L30 96");
    expect(linePath([], x, y)).toBe("");
    expect(linePath([[0, null]], x, y)).toBe("");
  });

  it("rounds coordinates to one decimal", () => {
    expect(
      linePath(
        [
          [0.333, 0.05],
          [1 / 3, 2 / 3],
        ],
        x,
        y,
      ),
    ).toBe("M3.3 100L3.3 99.3");
  });
});

describe("thinPoints", () => {
  it("passes few points through, and cuts many into slices keeping each one's highest", () => {
    const few: Point[] = [
      [0, 1],
      [1, 2],
    ];
    expect(thinPoints(few, 5)).toBe(few);
    const many: Point[] = Array.from({ length: 1_000 }, (_, i) => [i, i === 500 ? 999 : 1]);
    const thinned = thinPoints(many, 100);
    expect(thinned.length).toBeLessThanOrEqual(100);
    expect(thinned.some(([, v]) => v === 999)).toBe(true);
    expect(thinned.map(([t]) => t)).toEqual([...thinned.map(([t]) => t)].sort((a, b) => a - b));
  });

  it("keeps a slice of gaps a gap", () => {
    const points: Point[] = [
      [0, 1],
      [1, 1],
      [2, null],
      [3, null],
      [4, 2],
      [5, 2],
    ];
    expect(thinPoints(points, 3)).toEqual([
      [0, 1],
      [2, null],
      [4, 2],
    ]);
  });
});
