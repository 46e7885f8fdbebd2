import { describe, expect, it } from "vitest";
import { jsonSlices } from "./jsonSlices.ts";

describe("jsonSlices", () => {
  it("gives nothing for nothing and one array for a short list", () => {
    expect(jsonSlices([])).toEqual([]);
    expect(jsonSlices([["a", 1], "é"])).toEqual(['[["a",1],"é"]']);
  });

  it("cuts by rows and by characters, never losing or splitting an element", () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => [`k${i}`, i]);
    const byRows = jsonSlices(rows);
    expect(byRows.map((s) => (JSON.parse(s) as unknown[]).length)).toEqual([5_000, 5_000, 2_000]);
    const big = Array.from({ length: 10 }, (_, i) => `${i}${"x".repeat(250_000)}`);
    const byChars = jsonSlices(big);
    expect(byChars.every((s) => s.length <= 600_000)).toBe(true);
    expect(byChars.flatMap((s) => JSON.parse(s) as string[])).toEqual(big);
    // an element over the budget travels alone rather than not at all
    expect(jsonSlices(["y".repeat(700_000), "z"]).length).toBe(2);
  });
});
