import type { Context } from "hono";
import { keepNewest } from "../collections/keepNewest.ts";
import type { ConsistencyTokens } from "../consistency/consistencyToken.ts";
import type { TokenNeed } from "../consistency/tokenNeed.ts";

/** The two ways a token is handed out: as a header for API clients, as a cookie for browsers. */
export interface TokenHeaders {
  "X-Consistency-Token": string;
  "Set-Cookie": string;
}

// A busy reader hands out the same token many times (signReusable): its headers too.
const made = new Map<string, TokenHeaders>();
let last: { token: string; ttlMs: number; secure: boolean; headers: TokenHeaders } | null = null;

/** The headers carrying `token`, made once per token and kept as long as it is handed out. */
function headersOf(token: string, ttlMs: number, secure: boolean): TokenHeaders {
  // the token of the last answer, most often: the same string, so no key is built
  if (last !== null && last.token === token && last.ttlMs === ttlMs && last.secure === secure) {
    return last.headers;
  }
  const id = `${secure ? "s" : ""}${ttlMs} ${token}`;
  let headers = made.get(id);
  if (headers === undefined) {
    const cookie = `cqrs_rv=${token}; Max-Age=${Math.ceil(ttlMs / 1000)}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
    // shared by every answer handing this token out: frozen, so none can change another's
    headers = Object.freeze({ "X-Consistency-Token": token, "Set-Cookie": cookie });
    made.set(id, headers);
    // tokens only move forward: the oldest are the first to go
    keepNewest(made, 64);
  }
  last = { token, ttlMs, secure, headers };
  return headers;
}

/**
 * Signs (or reuses a fresh enough) consistency token for `need`, and the
 * headers that carry it: `X-Consistency-Token`, and the `cqrs_rv` cookie
 * (HttpOnly, SameSite=Lax, Secure over https) living as long as the token.
 * The same token comes with the same (frozen) object.
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
  return headersOf(await tokens.signReusable(need, ttlMs), ttlMs, secure);
}

/**
 * `tokenHeaders` when a token for `need` needs no signing (see
 * `signReusable`), without a promise; undefined when it does.
 *
 * @example
 * const headers = reusableTokenHeaders(tokens, need, 30_000, false) ?? (await tokenHeaders(tokens, need, 30_000, false));
 */
export function reusableTokenHeaders(
  tokens: ConsistencyTokens,
  need: TokenNeed,
  ttlMs: number,
  secure: boolean,
): TokenHeaders | undefined {
  const token = tokens.reusable(need, ttlMs);
  return token === undefined ? undefined : headersOf(token, ttlMs, secure);
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
