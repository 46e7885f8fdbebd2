import type { MiddlewareHandler } from "hono";
import { UnauthorizedError } from "../errors/index.ts";

const encoder = new TextEncoder();

const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

// The configured secrets are few and fixed: each is hashed once, not on every
// request. The given token is hashed every time, never used as a cache key, so
// nothing about it is remembered or looked up.
const secretDigests = new Map<string, Promise<Uint8Array>>();
const secretDigest = (secret: string): Promise<Uint8Array> => {
  let hashed = secretDigests.get(secret);
  if (!hashed) {
    hashed = digest(secret);
    if (secretDigests.size >= 64) secretDigests.clear();
    secretDigests.set(secret, hashed);
  }
  return hashed;
};

const sameDigest = (a: Uint8Array, b: Uint8Array): boolean => {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
};

/**
 * Compares hashes, so the time taken says nothing about how much of the token matched.
 *
 * @example
 * await sameSecret(given, settings.adminToken); // → true or false, in the same time
 */
export const sameSecret = async (given: string, expected: string): Promise<boolean> =>
  sameDigest(await digest(given), await secretDigest(expected));

/**
 * Requires `Authorization: Bearer <token>` matching one of the accepted tokens.
 *
 * @example
 * app.use("/v1/commands", requireBearer(() => [config.adminToken], "admin"));
 */
export const requireBearer =
  (accepted: () => readonly string[], role: string): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header("authorization");
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new UnauthorizedError(`an ${role} bearer token is required`);
    const given = await digest(match[1]);
    const secrets = await Promise.all(accepted().map(secretDigest));
    // every secret compared, whichever matched, so the time says nothing about which
    const checks = secrets.map((secret) => sameDigest(given, secret));
    if (!checks.includes(true)) throw new UnauthorizedError(`the ${role} token is not valid`);
    await next();
  };
