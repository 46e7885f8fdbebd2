import type { MiddlewareHandler } from "hono";
import { type Hashing, sameBytes, webHashing } from "../crypto/hashing.ts";
import { UnauthorizedError } from "../errors/index.ts";

const encoder = new TextEncoder();

// The configured secrets are few and fixed: each is hashed once, not on every
// request. The given token is hashed every time, never used as a cache key, so
// nothing about it is remembered or looked up.
const secretDigests = new WeakMap<Hashing, Map<string, Promise<Uint8Array>>>();
const secretDigest = (hashing: Hashing, secret: string): Promise<Uint8Array> => {
  let known = secretDigests.get(hashing);
  if (!known) {
    known = new Map();
    secretDigests.set(hashing, known);
  }
  let hashed = known.get(secret);
  if (!hashed) {
    hashed = hashing.sha256(encoder.encode(secret));
    if (known.size >= 64) known.clear();
    known.set(secret, hashed);
  }
  return hashed;
};

/**
 * Compares hashes, so the time taken says nothing about how much of the token matched.
 *
 * @example
 * await sameSecret(given, settings.adminToken); // → true or false, in the same time
 */
export const sameSecret = async (
  given: string,
  expected: string,
  hashing: Hashing = webHashing,
): Promise<boolean> =>
  sameBytes(await hashing.sha256(encoder.encode(given)), await secretDigest(hashing, expected));

/**
 * Requires `Authorization: Bearer <token>` matching one of the accepted tokens.
 *
 * @example
 * app.use("/v1/commands", requireBearer(() => [config.adminToken], "admin"));
 */
export const requireBearer =
  (
    accepted: () => readonly string[],
    role: string,
    hashing: Hashing = webHashing,
  ): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header("authorization");
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new UnauthorizedError(`an ${role} bearer token is required`);
    const given = await hashing.sha256(encoder.encode(match[1]));
    const secrets = await Promise.all(accepted().map((s) => secretDigest(hashing, s)));
    // every secret compared, whichever matched, so the time says nothing about which
    const checks = secrets.map((secret) => sameBytes(given, secret));
    if (!checks.includes(true)) throw new UnauthorizedError(`the ${role} token is not valid`);
    await next();
  };
