import { randomFillSync } from "node:crypto";

// Random bytes come from a pool filled 4 KiB at a time: a call for each id's
// few bytes cost more than the rest of handling a publish.
const pool = new Uint8Array(4_096);
let used = pool.length;
const randomBytesFromPool = (length: number): Uint8Array => {
  if (length > pool.length) return randomFillSync(new Uint8Array(length));
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += length;
  return pool.subarray(used - length, used);
};

// Base58 as in QStash's own ids (`msg_2XavMmRcJHJf7HkNtNqjfVf8uQe`): no 0/O/I/l to misread.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/**
 * A random id with a QStash-like prefix.
 *
 * @example
 * randomId("msg"); // "msg_4wq9…"
 */
export const randomId = (prefix: string, length = 26): string => {
  const bytes = randomBytesFromPool(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
};
