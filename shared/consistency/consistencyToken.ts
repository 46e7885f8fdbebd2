import { keepNewest } from "../collections/keepNewest.ts";
import { type Hashing, sameBytes, webHashing } from "../crypto/hashing.ts";
import { maxScopeBytes, maxTokenScopes, needKey, type TokenNeed } from "./tokenNeed.ts";

/**
 * A consistency token says "don't show me anything older than this" until
 * `exp`: a floor `v` for every read, and higher versions for the read scopes
 * the holder's writes changed (`k`, see `TokenNeed`). It is
 * `base64url(payload).base64url(hmac)`, so a client can read its versions but
 * cannot raise them: a forged huge version would otherwise force every read of
 * that client onto the primary.
 */
export interface ConsistencyClaims extends TokenNeed {
  /** expiry, epoch milliseconds */
  exp: number;
}

/** The longest token `verify` reads: the payload's scopes are bounded (`maxScopeBytes`). */
export const maxTokenLength = 1_536;

export type TokenCheck =
  | { ok: true; claims: ConsistencyClaims }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

const encoder = new TextEncoder();

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

const fromBase64Url = (text: string): Uint8Array<ArrayBuffer> | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

/**
 * Signs and verifies consistency tokens with one shared secret.
 *
 * @example
 * const tokens = consistencyTokens(process.env.CONSISTENCY_SECRET!);
 * const token = await tokens.sign({ v: 40, k: { "p:desk-lamp": 42 } }, 60_000);
 * await tokens.verify(token); // → { ok: true, claims: { v: 40, k: { "p:desk-lamp": 42 }, exp: … } }
 */
export function consistencyTokens(secret: string, hashing: Hashing = webHashing) {
  if (secret.length < 16) throw new Error("the consistency secret needs at least 16 characters");
  const mac = hashing.hmacSha256(secret);
  const recent = new Map<string, { token: string; exp: number }>();
  const sign = async (need: TokenNeed, ttlMs: number, now = Date.now()): Promise<string> => {
    const claims: ConsistencyClaims = need.k
      ? { v: need.v, k: need.k, exp: now + ttlMs }
      : { v: need.v, exp: now + ttlMs };
    const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
    return `${payload}.${toBase64Url(await mac(encoder.encode(payload)))}`;
  };

  /** The token `signReusable` would answer without signing, if it has one: no promise to wait on. */
  const reusable = (need: TokenNeed, ttlMs: number, now = Date.now()): string | undefined => {
    const cached = recent.get(needKey(need));
    return cached && cached.exp - now >= ttlMs / 2 ? cached.token : undefined;
  };

  return {
    sign,
    reusable,
    /**
     * A token for `need` that still has at least half of `ttlMs` to live:
     * reused while it does, so a busy reader signs about once per version per
     * half-TTL instead of on every read (an HMAC per request shows in the p50).
     */
    async signReusable(need: TokenNeed, ttlMs: number, now = Date.now()): Promise<string> {
      const cached = reusable(need, ttlMs, now);
      if (cached !== undefined) return cached;
      const key = needKey(need);
      const token = await sign(need, ttlMs, now);
      recent.delete(key);
      recent.set(key, { token, exp: now + ttlMs });
      // the least recently signed are the first to go
      keepNewest(recent, 64);
      return token;
    },

    async verify(token: string, now = Date.now()): Promise<TokenCheck> {
      const [payload, signature, ...rest] = token.split(".");
      if (!payload || !signature || rest.length > 0 || token.length > maxTokenLength) {
        return { ok: false, reason: "malformed" };
      }
      const given = fromBase64Url(signature);
      if (!given) return { ok: false, reason: "malformed" };
      if (!sameBytes(given, await mac(encoder.encode(payload)))) {
        return { ok: false, reason: "bad_signature" };
      }
      let claims: unknown;
      try {
        const bytes = fromBase64Url(payload);
        claims = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null;
      } catch {
        return { ok: false, reason: "malformed" };
      }
      if (!isClaims(claims)) return { ok: false, reason: "malformed" };
      if (claims.exp <= now) return { ok: false, reason: "expired" };
      return { ok: true, claims };
    },
  };
}

export type ConsistencyTokens = ReturnType<typeof consistencyTokens>;

const isVersion = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

const isScopes = (k: unknown): k is Record<string, number> =>
  typeof k === "object" &&
  k !== null &&
  !Array.isArray(k) &&
  Object.keys(k).length <= maxTokenScopes &&
  JSON.stringify(k).length <= maxScopeBytes &&
  Object.values(k).every(isVersion);

const isClaims = (c: unknown): c is ConsistencyClaims =>
  typeof c === "object" &&
  c !== null &&
  isVersion((c as ConsistencyClaims).v) &&
  Number.isSafeInteger((c as ConsistencyClaims).exp) &&
  ((c as ConsistencyClaims).k === undefined || isScopes((c as ConsistencyClaims).k));
