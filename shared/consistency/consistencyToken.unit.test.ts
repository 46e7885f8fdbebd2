import { describe, expect, it } from "vitest";
import { consistencyTokens } from "./consistencyToken.ts";

const tokens = consistencyTokens("a-secret-of-enough-length");
const now = 1_700_000_000_000;

describe("consistency tokens", () => {
  it("round-trip the version until they expire", async () => {
    const token = await tokens.sign({ v: 42 }, 10_000, now);
    expect(await tokens.verify(token, now + 9_999)).toEqual({
      ok: true,
      claims: { v: 42, exp: now + 10_000 },
    });
    expect(await tokens.verify(token, now + 10_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuse a raised version, another secret's token and garbage", async () => {
    const token = await tokens.sign({ v: 42 }, 10_000, now);
    const [, mac] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ v: 9_999_999, exp: now + 10_000 })).toString(
      "base64url",
    );
    expect(await tokens.verify(`${forgedPayload}.${mac}`, now)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const other = await consistencyTokens("another-secret-entirely").sign({ v: 42 }, 10_000, now);
    expect(await tokens.verify(other, now)).toEqual({ ok: false, reason: "bad_signature" });
    for (const garbage of ["", ".", "abc", "a.b.c", "!!!.???", "x".repeat(600)]) {
      expect((await tokens.verify(garbage, now)).ok).toBe(false);
    }
  });

  it("reuses a token for the same version while it has half its life left", async () => {
    const first = await tokens.signReusable({ v: 7 }, 10_000, now);
    expect(await tokens.signReusable({ v: 7 }, 10_000, now + 5_000)).toBe(first);
    const renewed = await tokens.signReusable({ v: 7 }, 10_000, now + 5_001);
    expect(renewed).not.toBe(first);
    expect(await tokens.verify(renewed, now + 14_000)).toMatchObject({
      ok: true,
      claims: { v: 7 },
    });
    expect(await tokens.signReusable({ v: 8 }, 10_000, now + 5_001)).not.toBe(renewed);
  });

  it("hand over a reusable token without signing, and none once it has less than half its life", async () => {
    const fresh = consistencyTokens("a-secret-of-enough-length");
    expect(fresh.reusable({ v: 9 }, 10_000, now)).toBeUndefined();
    const signed = await fresh.signReusable({ v: 9 }, 10_000, now);
    expect(fresh.reusable({ v: 9 }, 10_000, now + 5_000)).toBe(signed);
    expect(fresh.reusable({ v: 9 }, 10_000, now + 5_001)).toBeUndefined();
    expect(fresh.reusable({ v: 9, k: { all: 10 } }, 10_000, now)).toBeUndefined();
  });

  it("carry the scopes a write changed, within their bound, and refuse claims past it", async () => {
    const need = { v: 40, k: { "p:desk-lamp": 42, all: 42 } };
    const token = await tokens.sign(need, 10_000, now);
    expect(await tokens.verify(token, now)).toEqual({
      ok: true,
      claims: { ...need, exp: now + 10_000 },
    });
    // a payload past the bound is malformed even when signed with the secret
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p:${i}`, 42]));
    expect(await tokens.verify(await tokens.sign({ v: 1, k: tooMany }, 10_000, now), now)).toEqual({
      ok: false,
      reason: "malformed",
    });
    for (const k of [{ "p:x": -1 }, { "p:x": "42" }, ["p:x"]]) {
      const forged = await tokens.sign(
        { v: 1, k: k as unknown as Record<string, number> },
        10_000,
        now,
      );
      expect((await tokens.verify(forged, now)).ok, JSON.stringify(k)).toBe(false);
    }
  });

  it("refuses a short secret", () => {
    expect(() => consistencyTokens("short")).toThrow(/16 characters/);
  });
});
