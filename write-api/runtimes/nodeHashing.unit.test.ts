import { describe, expect, it } from "vitest";
import { consistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { webHashing } from "../../shared/crypto/hashing.ts";
import { nodeHashing } from "./nodeHashing.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("node:crypto hashing", () => {
  it("gives the same SHA-256 and HMAC-SHA-256 as Web Crypto", async () => {
    for (const text of ["", "admin-token-0123456789", "ünïcödé ✓", "x".repeat(10_000)]) {
      expect(await nodeHashing.sha256(bytes(text))).toEqual(await webHashing.sha256(bytes(text)));
      const secret = "consistency-secret-0123";
      expect(await nodeHashing.hmacSha256(secret)(bytes(text))).toEqual(
        await webHashing.hmacSha256(secret)(bytes(text)),
      );
    }
  });

  it("signs consistency tokens a Web Crypto reader verifies, and refuses what the other key signed", async () => {
    const secret = "consistency-secret-0123";
    const writer = consistencyTokens(secret, nodeHashing);
    const reader = consistencyTokens(secret, webHashing);
    const token = await writer.sign({ v: 42 }, 60_000);
    expect(await reader.verify(token)).toMatchObject({ ok: true, claims: { v: 42 } });
    const other = consistencyTokens("another-secret-456789", nodeHashing);
    expect(await other.verify(token)).toEqual({ ok: false, reason: "bad_signature" });
    const [payload, mac] = token.split(".");
    expect(await reader.verify(`${payload}.${mac?.slice(0, -2)}AA`)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});
