import { randomBytes } from "node:crypto";

// Base58 as in QStash's own ids (`msg_2XavMmRcJHJf7HkNtNqjfVf8uQe`): no 0/O/I/l to misread.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/**
 * A random id with a QStash-like prefix.
 *
 * @example
 * randomId("msg"); // "msg_4wq9…"
 */
export const randomId = (prefix: string, length = 26): string => {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
};
