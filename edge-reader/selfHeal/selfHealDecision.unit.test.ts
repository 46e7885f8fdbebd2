import { describe, expect, it } from "vitest";
import { type DigestAt, decideSelfHeal, type SelfHealInput } from "./selfHealDecision.ts";

const versions = { productPage: 3, categoryListing: 2 };
const at = (watermark: number, digest: string, v: Record<string, number> = versions): DigestAt => ({
  watermark,
  digest,
  versions: v,
});
const input = (over: Partial<SelfHealInput> = {}): SelfHealInput => ({
  now: 10_000_000,
  primary: at(42, "aaa"),
  replica: at(42, "bbb"),
  building: false,
  lastSwitchAt: null,
  minIntervalMs: 3_600_000,
  ...over,
});

describe("decideSelfHeal", () => {
  it("heals a replica whose digest differs at the same watermark and versions", () => {
    expect(decideSelfHeal(input())).toEqual({ kind: "heal" });
  });

  it("agrees when the digests are equal", () => {
    expect(decideSelfHeal(input({ replica: at(42, "aaa") }))).toEqual({ kind: "agree" });
  });

  it("compares nothing at different watermarks, whatever the digests", () => {
    expect(decideSelfHeal(input({ replica: at(41, "bbb") }))).toEqual({
      kind: "not-comparable",
      reason: "watermarks differ (primary 42, replica 41)",
    });
  });

  it("compares nothing across read model versions (a rolling deploy)", () => {
    const newer = { ...versions, categoryListing: 3 };
    expect(decideSelfHeal(input({ replica: at(42, "bbb", newer) })).kind).toBe("not-comparable");
    const fewer = { productPage: 3 };
    expect(decideSelfHeal(input({ replica: at(42, "bbb", fewer) })).kind).toBe("not-comparable");
  });

  it("holds while a generation is being built", () => {
    expect(decideSelfHeal(input({ building: true }))).toMatchObject({
      kind: "held",
      notBefore: null,
    });
  });

  it("holds within the bound after the last switch, and heals once it has passed", () => {
    const now = 10_000_000;
    expect(decideSelfHeal(input({ now, lastSwitchAt: now - 1_000 }))).toEqual({
      kind: "held",
      reason: "the last switch was too recent",
      notBefore: now - 1_000 + 3_600_000,
    });
    expect(decideSelfHeal(input({ now, lastSwitchAt: now - 3_600_000 }))).toEqual({ kind: "heal" });
  });

  it("never heals a replica that agrees, however long ago it switched", () => {
    expect(
      decideSelfHeal(input({ replica: at(42, "aaa"), lastSwitchAt: 0, building: true })),
    ).toEqual({ kind: "agree" });
  });
});
