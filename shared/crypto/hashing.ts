/**
 * SHA-256 and HMAC-SHA-256 as a runtime offers them. Web Crypto is everywhere
 * (Workers included) but answers through a thread pool, about 50 µs a call on
 * Node; a server runtime can pass `node:crypto`, which answers in a few µs.
 */
export interface Hashing {
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** a signer for one secret, prepared once */
  hmacSha256(secret: string): (data: Uint8Array) => Promise<Uint8Array>;
}

const encoder = new TextEncoder();

/** Web Crypto: the default, and the only one on Workers. */
export const webHashing: Hashing = {
  sha256: async (data) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>)),
  hmacSha256(secret) {
    const key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return async (data) =>
      new Uint8Array(await crypto.subtle.sign("HMAC", await key, data as Uint8Array<ArrayBuffer>));
  },
};

/**
 * Compares two digests in time that depends only on their length, never on
 * how much of them matched.
 *
 * @example
 * sameBytes(await hashing.sha256(given), expected); // → true or false, in the same time
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
