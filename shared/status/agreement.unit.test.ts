import { describe, expect, it } from "vitest";
import { digestAgreement } from "./agreement.ts";

const primary = { watermark: 9, digest: "a" };

describe("digestAgreement", () => {
  it("compares digests only at the primary's watermark", () => {
    expect(digestAgreement(primary, { watermark: 9, digest: "a" })).toEqual({
      agreement: "equal",
      note: null,
    });
    expect(digestAgreement(primary, { watermark: 9, digest: "b" })).toEqual({
      agreement: "differs",
      note: "digest differs at watermark 9",
    });
  });

  it("a replica behind or ahead is unknown, whatever its digest", () => {
    expect(digestAgreement(primary, { watermark: 7, digest: "a" })).toEqual({
      agreement: "unknown",
      note: "behind the primary (7 vs 9)",
    });
    expect(digestAgreement(primary, { watermark: 10, digest: "b" })).toEqual({
      agreement: "unknown",
      note: "ahead of the primary (10 vs 9)",
    });
  });
});
