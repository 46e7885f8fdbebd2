import { describe, expect, it } from "vitest";
import { createRing } from "./historyRing.ts";

describe("createRing", () => {
  it("keeps values in order until full, then forgets the oldest", () => {
    const ring = createRing<number>(3);
    expect(ring.values()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.values()).toEqual([1, 2]);
    for (const v of [3, 4, 5, 6, 7]) ring.push(v);
    expect(ring.values()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
  });

  it("never holds more than its capacity, whatever the number of pushes", () => {
    const ring = createRing<number>(5);
    for (let i = 0; i < 1_003; i++) ring.push(i);
    expect(ring.values()).toEqual([998, 999, 1_000, 1_001, 1_002]);
  });

  it("refuses a capacity below one", () => {
    expect(() => createRing(0)).toThrow(RangeError);
    expect(() => createRing(1.5)).toThrow(RangeError);
  });
});
