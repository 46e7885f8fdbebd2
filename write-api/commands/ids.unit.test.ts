import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../shared/projection/text.ts";
import { type IdClock, timeOrderedIdSource } from "./ids.ts";

/** A clock that answers the given milliseconds in turn (the last one after) and a fixed random part. */
const clockOf = (ms: number[], random: number): IdClock => {
  let i = 0;
  return {
    now: () => ms[Math.min(i++, ms.length - 1)] as number,
    random32: () => random,
  };
};

const rising = (ids: string[]) =>
  ids.every((id, i) => i === 0 || compareCodePoints(ids[i - 1] as string, id) < 0);

describe("timeOrderedIdSource", () => {
  it("prefixes 12 hex digits of the millisecond and 8 of the random part", () => {
    const ids = timeOrderedIdSource(clockOf([0x18f3c2a9b1e], 0x5d03c7a1));
    expect(ids.product()).toBe("prd_018f3c2a9b1e5d03c7a1");
    expect(ids.category()).toMatch(/^cat_[0-9a-f]{20}$/);
  });

  it("rises within a millisecond by counting on from the random part", () => {
    const ids = timeOrderedIdSource(clockOf([1_000], 7));
    const made = Array.from({ length: 5 }, () => ids.product());
    expect(made.map((id) => id.slice(-8))).toEqual(
      ["7", "8", "9", "a", "b"].map((d) => d.padStart(8, "0")),
    );
    expect(rising(made)).toBe(true);
  });

  it("keeps rising when the clock steps back", () => {
    const ids = timeOrderedIdSource(clockOf([5_000, 4_000, 4_500, 5_000, 6_000], 0xffff_0000));
    const made = Array.from({ length: 5 }, () => ids.product());
    expect(rising(made)).toBe(true);
    expect(new Set(made).size).toBe(5);
    expect(made[4]?.slice(4, 16)).toBe((6_000).toString(16).padStart(12, "0"));
  });

  it("borrows the next millisecond when a millisecond's random part runs out", () => {
    const ids = timeOrderedIdSource(clockOf([2_000], 0xffff_ffff));
    const made = [ids.product(), ids.product(), ids.product()];
    expect(made).toEqual([
      `prd_${(2_000).toString(16).padStart(12, "0")}ffffffff`,
      `prd_${(2_001).toString(16).padStart(12, "0")}00000000`,
      `prd_${(2_001).toString(16).padStart(12, "0")}00000001`,
    ]);
  });

  it("rises across categories and products from one source", () => {
    const ids = timeOrderedIdSource(clockOf([1, 1, 2, 2], 3));
    const made = [ids.category(), ids.product(), ids.category(), ids.product()];
    expect(rising(made.map((id) => id.slice(4)))).toBe(true);
  });
});
