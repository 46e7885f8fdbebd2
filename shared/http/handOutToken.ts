import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import type { ConsistencyTokens } from "../consistency/consistencyToken.ts";

/**
 * Signs (or reuses a fresh enough) consistency token for `version` and hands
 * it out both ways the contract names: the `X-Consistency-Token` header for API clients and the
 * `cqrs_rv` cookie for browsers, living as long as the token.
 *
 * @example
 * await handOutToken(c, tokens, response.version, 30_000);
 */
export async function handOutToken(
  c: Context,
  tokens: ConsistencyTokens,
  version: number,
  ttlMs: number,
): Promise<void> {
  const token = await tokens.signReusable(version, ttlMs);
  c.header("X-Consistency-Token", token);
  setCookie(c, "cqrs_rv", token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: Math.ceil(ttlMs / 1000),
  });
}
