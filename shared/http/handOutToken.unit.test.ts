import { describe, expect, it } from "vitest";
import { consistencyTokens } from "../consistency/consistencyToken.ts";
import { reusableTokenHeaders, tokenHeaders } from "./handOutToken.ts";

describe("token headers", () => {
  it("carry the token as a header and an HttpOnly cookie living as long, Secure over https", async () => {
    const tokens = consistencyTokens("a-secret-of-enough-length");
    const plain = await tokenHeaders(tokens, { v: 3 }, 30_000, false);
    expect(plain["Set-Cookie"]).toBe(
      `cqrs_rv=${plain["X-Consistency-Token"]}; Max-Age=30; Path=/; HttpOnly; SameSite=Lax`,
    );
    const secure = await tokenHeaders(tokens, { v: 3 }, 30_000, true);
    expect(secure["X-Consistency-Token"]).toBe(plain["X-Consistency-Token"]);
    expect(secure["Set-Cookie"]).toBe(`${plain["Set-Cookie"]}; Secure`);
  });

  it("come without a promise while the token needs no signing, the same object each time", async () => {
    const tokens = consistencyTokens("a-secret-of-enough-length");
    expect(reusableTokenHeaders(tokens, { v: 5 }, 30_000, false)).toBeUndefined();
    const signed = await tokenHeaders(tokens, { v: 5 }, 30_000, false);
    expect(reusableTokenHeaders(tokens, { v: 5 }, 30_000, false)).toBe(signed);
    expect(Object.isFrozen(signed)).toBe(true);
    expect(reusableTokenHeaders(tokens, { v: 6 }, 30_000, false)).toBeUndefined();
    const other = await tokenHeaders(tokens, { v: 6 }, 30_000, false);
    expect(other["X-Consistency-Token"]).not.toBe(signed["X-Consistency-Token"]);
    expect(reusableTokenHeaders(tokens, { v: 5 }, 30_000, false)).toBe(signed);
  });
});
