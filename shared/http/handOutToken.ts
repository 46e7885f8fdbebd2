import type { Context } from "hono";
import type { ConsistencyTokens } from "../consistency/consistencyToken.ts";
import type { TokenNeed } from "../consistency/tokenNeed.ts";

/** The two ways a token is handed out: as a header for API clients, as a cookie for browsers. */
export interface TokenHeaders {
  "X-Consistency-Token": string;
  "Set-Cookie": string;
}

// A busy reader hands out the same token many times (signReusable): its cookie too.
const cookies = new Map<string, string>();

/**
 * Signs (or reuses a fresh enough) consistency token for `need`, and the
 * headers that carry it: `X-Consistency-Token`, and the `cqrs_rv` cookie
 * (HttpOnly, SameSite=Lax, Secure over https) living as long as the token.
 *
 * @example
 * await tokenHeaders(tokens, { v: 42 }, 30_000, false); // → { "X-Consistency-Token": "eyJ…", "Set-Cookie": "cqrs_rv=eyJ…; Max-Age=30; Path=/; HttpOnly; SameSite=Lax" }
 */
export async function tokenHeaders(
  tokens: ConsistencyTokens,
  need: TokenNeed,
  ttlMs: number,
  secure: boolean,
): Promise<TokenHeaders> {
  const token = await tokens.signReusable(need, ttlMs);
  const id = `${secure ? "s" : ""}${ttlMs} ${token}`;
  let cookie = cookies.get(id);
  if (cookie === undefined) {
    cookie = `cqrs_rv=${token}; Max-Age=${Math.ceil(ttlMs / 1000)}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
    cookies.set(id, cookie);
    // tokens only move forward: the oldest cookies are the first to go
    for (const old of cookies.keys()) {
      if (cookies.size <= 64) break;
      cookies.delete(old);
    }
  }
  return { "X-Consistency-Token": token, "Set-Cookie": cookie };
}

/**
 * `tokenHeaders` set on a Hono context.
 *
 * @example
 * await handOutToken(c, tokens, afterWrite(need, response.version, scopes), 30_000);
 */
export async function handOutToken(
  c: Context,
  tokens: ConsistencyTokens,
  need: TokenNeed,
  ttlMs: number,
): Promise<void> {
  const headers = await tokenHeaders(tokens, need, ttlMs, c.req.url.startsWith("https:"));
  c.header("X-Consistency-Token", headers["X-Consistency-Token"]);
  c.header("Set-Cookie", headers["Set-Cookie"], { append: true });
}
