/**
 * A view record's 128-bit hash, as 32 hex digits: MurmurHash3 x86_128 (seed
 * 0) over the UTF-16LE bytes of `kind NL key NL json`, where `json` is the
 * record's JSON text as the projection wrote it (`JSON.stringify`, fields in
 * the order the projection builds them; stores keep that text). Not a
 * cryptographic hash: the digest it feeds tells replicas apart, it does not
 * resist someone who can already write the views.
 *
 * @example
 * recordHash("page", "desk-lamp", '{"slug":"desk-lamp"}'); // → "9b2e…" (32 hex digits)
 */
export function recordHash(kind: string, key: string, json: string): string {
  return hex(murmur128(`${kind}\n${key}\n${json}`));
}

/** The hash of no record: XOR's identity. */
export const zeroHash = "0".repeat(32);

/**
 * The running hash of a set of records: the XOR of theirs, so a record joins
 * or leaves it in O(1). Kept as four 32-bit words, so a batch of thousands of
 * changes builds one hex string at the end instead of one per record.
 *
 * @example
 * const sum = new HashSum(stored);
 * sum.add(oldHash); // leaves (XOR is its own inverse)
 * sum.add(newHash); // joins
 * sum.toString(); // → 32 hex digits
 */
export class HashSum {
  readonly #words = new Uint32Array(4);

  constructor(start: string = zeroHash) {
    this.add(start);
  }

  /** XORs a 32-hex-digit hash in. */
  add(hash: string): void {
    const w = this.#words;
    w[0] = (w[0] ?? 0) ^ Number.parseInt(hash.slice(0, 8), 16);
    w[1] = (w[1] ?? 0) ^ Number.parseInt(hash.slice(8, 16), 16);
    w[2] = (w[2] ?? 0) ^ Number.parseInt(hash.slice(16, 24), 16);
    w[3] = (w[3] ?? 0) ^ Number.parseInt(hash.slice(24, 32), 16);
  }

  toString(): string {
    return hex(this.#words);
  }
}

/**
 * `a XOR b` of two 32-hex-digit hashes.
 *
 * @example
 * xorHash(xorHash(sum, h), h) === sum; // → true
 */
export function xorHash(a: string, b: string): string {
  const sum = new HashSum(a);
  sum.add(b);
  return sum.toString();
}

const hex = (words: Uint32Array) => {
  let out = "";
  for (const w of words) out += w.toString(16).padStart(8, "0");
  return out;
};

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const fmix = (h0: number) => {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const c1 = 0x239b961b;
const c2 = 0xab0e9789;
const c3 = 0x38b34ae5;
const c4 = 0xa1e38b93;

/** MurmurHash3_x86_128 of `text`'s UTF-16LE bytes: two code units make one 32-bit word. */
function murmur128(text: string): Uint32Array {
  const units = text.length;
  const word = (i: number) => text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let h4 = 0;
  const blocks = units - (units % 8);
  for (let i = 0; i < blocks; i += 8) {
    let k1 = word(i);
    let k2 = word(i + 2);
    let k3 = word(i + 4);
    let k4 = word(i + 6);
    k1 = Math.imul(rotl(Math.imul(k1, c1), 15), c2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, c2), 16), c3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, c3), 17), c4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, c4), 18), c1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // The tail: up to 7 code units, 14 bytes, filling k1..k4 low bytes first.
  const rest = units - blocks;
  const unit = (j: number) => (j < rest ? text.charCodeAt(blocks + j) : 0);
  const k = [
    unit(0) | (unit(1) << 16),
    unit(2) | (unit(3) << 16),
    unit(4) | (unit(5) << 16),
    unit(6),
  ];
  if (rest > 6) h4 ^= Math.imul(rotl(Math.imul(k[3] ?? 0, c4), 18), c1);
  if (rest > 4) h3 ^= Math.imul(rotl(Math.imul(k[2] ?? 0, c3), 17), c4);
  if (rest > 2) h2 ^= Math.imul(rotl(Math.imul(k[1] ?? 0, c2), 16), c3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(k[0] ?? 0, c1), 15), c2);
  const bytes = units * 2;
  h1 ^= bytes;
  h2 ^= bytes;
  h3 ^= bytes;
  h4 ^= bytes;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return new Uint32Array([h1, h2, h3, h4]);
}
