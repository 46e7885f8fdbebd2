import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashSum, recordHash } from "./recordHash.ts";

/**
 * The implementation every stored hash was written with (commit 69067b0),
 * kept verbatim as the reference: databases, Redis namespaces and replicas
 * in the field hold its output, so a faster one must agree on every input.
 */
function referenceRecordHash(kind: string, key: string, json: string): string {
  const words = referenceMurmur128(`${kind}\n${key}\n${json}`);
  let out = "";
  for (const w of words) out += w.toString(16).padStart(8, "0");
  return out;
}

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

function referenceMurmur128(text: string): Uint32Array {
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

const tree = JSON.stringify(
  Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, name: `Catégorie ${i} \u{1F332}` })),
);

/** Recorded from the reference before any rewrite; every tail length 0-7 appears. */
const pinned: Array<[kind: string, key: string, json: string, hash: string]> = [
  ["", "", "", "1432fd73080e19f8080e19f8080e19f8"],
  ["a", "", "", "699b3b79b6f8b61a8e6270d18e6270d1"],
  ["page", "desk-lamp", '{"slug":"desk-lamp"}', "ba36c9b601bb5bf70924d084c075bbfe"],
  ["page", "k", "1234", "476321bc050c2ffd3850820773859e5f"],
  ["page", "k", "12345", "ea848e856d35526cf77071f3847f0e5d"],
  ["page", "k", "123456", "89ee6a0b74933bd967176af0317fa76d"],
  ["page", "k", "1234567", "74c58d4920082e340d313265b10eccce"],
  ["page", "k", "12345678", "22f9ec88cf9c79c4de5bb1e77b20275d"],
  ["page", "k", "123456789", "6ac60d379330e676e309b9f2a1ca5ed6"],
  [
    "summary",
    "café",
    '{"name":"Crème brûlée","price":{"amount":1999,"currency":"EUR"}}',
    "529a4e2a52fced3eb2c555722461a3c2",
  ],
  ["page", "emoji", '{"name":"lamp \u{1F4A1} \u{1F600}"}', "39ef20802fb028481c546f5c1021cd56"],
  ["page", "\u{1F600}", "\u{10FFFF}\u{10000}", "9f3e7c0bbe009b6c3ff164691ba0b70b"],
  ["search", "lone-high", '{"t":"\uD800"}', "430948367d43d22a530d68bb3054610a"],
  ["search", "lone-low", '{"t":"\uDC00x"}', "2c14de530cf287c9df82eaccf969a321"],
  ["search", "reversed", "\uDC00\uD800", "1212287d64a50bb8b08ac15e0706d99b"],
  ["search", "high-at-end", "abcdefg\uDBFF", "b28fb86cf9eb80831fbaa561cebb2ae4"],
  ["x", "\u0000\uFFFF\uFEFF", "\uFFFE\u00FF\u0100", "4cde50a64f4fc4be5ee6fbab09414d14"],
  ["navigation", "tree", tree, "52762a3b789497a6a6727ab3b96d1df1"],
];

/** Any UTF-16 code units, lone surrogates included: stored JSON may hold them. */
const units = (maxLength: number) =>
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 0x7f }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0xd800, max: 0xdfff }),
      ),
      { maxLength },
    )
    .map((codes) => String.fromCharCode(...codes));
const text = (maxLength: number) =>
  fc.oneof(units(maxLength), fc.string({ unit: "grapheme", maxLength }), fc.json());

describe("recordHash", () => {
  it.each(pinned)("keeps the stored hash of %j / %j", (kind, key, json, hash) => {
    expect(referenceRecordHash(kind, key, json)).toBe(hash);
    expect(recordHash(kind, key, json)).toBe(hash);
  });

  it("agrees with the reference on any kind, key and text", () => {
    fc.assert(
      fc.property(text(12), text(40), text(300), (kind, key, json) => {
        expect(recordHash(kind, key, json)).toBe(referenceRecordHash(kind, key, json));
      }),
      { numRuns: 2_000 },
    );
  });

  it("agrees with the reference across a call with long text and one with short text", () => {
    // A rewrite that keeps state between calls (scratch buffers) must not leak it.
    const long = "\u{1F600}é".repeat(1_000);
    expect(recordHash("page", "a", long)).toBe(referenceRecordHash("page", "a", long));
    expect(recordHash("page", "a", "b")).toBe(referenceRecordHash("page", "a", "b"));
  });
});

/** HashSum.add as first written: parseInt over four 8-digit slices. */
function referenceSum(hashes: readonly string[]): string {
  const w = new Uint32Array(4);
  for (const h of hashes) {
    for (let i = 0; i < 4; i++) w[i] = (w[i] ?? 0) ^ Number.parseInt(h.slice(i * 8, i * 8 + 8), 16);
  }
  let out = "";
  for (const x of w) out += x.toString(16).padStart(8, "0");
  return out;
}

describe("HashSum", () => {
  it("sums any strings as parseInt read them: hashes, upper case, signs, junk, short ones", () => {
    const hexDigit = fc.constantFrom(..."0123456789abcdef");
    const hash = fc.string({ unit: hexDigit, minLength: 32, maxLength: 32 });
    const oneOff = fc
      .tuple(hash, fc.nat(31), fc.constantFrom(..."AFgGzx-+ .\u0660"))
      .map(([h, i, c]) => `${h.slice(0, i)}${c}${h.slice(i + 1)}`);
    const odd = fc.oneof(
      oneOff,
      hash.map((h) => h.slice(1)),
      hash.map((h) => `${h}0`),
      hash.map((h) => h.toUpperCase()),
      fc.string({ maxLength: 40 }),
      fc
        .array(fc.constantFrom(..."0123456789abcdef-+ xg\u0660"), { maxLength: 33 })
        .map((cs) => cs.join("")),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(hash, hash, odd), { maxLength: 8 }), (hashes) => {
        const sum = new HashSum();
        for (const h of hashes) sum.add(h);
        expect(sum.toString()).toBe(referenceSum(hashes));
      }),
      { numRuns: 2_000 },
    );
  });
});
