import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxTermLength, searchTerms, sharedWords, words } from "./text.ts";

/** `words` as it was first written: the definition the fast paths must keep. */
const referenceWords = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= maxTermLength);

const referenceSearchTerms = (name: string, description: string) => {
  const weights = new Map<string, number>();
  for (const w of new Set(referenceWords(name))) weights.set(w, 2);
  for (const w of new Set(referenceWords(description))) weights.set(w, (weights.get(w) ?? 0) + 1);
  const byCodePoint = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0) ?? 0);
    const y = [...b].map((c) => c.codePointAt(0) ?? 0);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    }
    return x.length - y.length;
  };
  return [...weights].sort((a, b) => byCodePoint(a[0], b[0]));
};

/**
 * Pieces where the fast paths could go wrong: ASCII separators and case,
 * precomposed and combining diacritics, compatibility forms that decompose
 * to ASCII (ligature, full-width, superscript, Kelvin sign), İ (lowercases
 * to i plus a mark), Greek sigma (lowercases by context), Hangul (NFKD
 * splits syllables), marks that are vowel signs, astral letters, emoji and
 * lone surrogates.
 */
const tricky = [
  "a",
  "Z",
  "0",
  "9",
  " ",
  "-",
  ",",
  "_",
  ".",
  "\t",
  "\u007f",
  "\u0000",
  "é",
  "È",
  "e\u0301",
  "\u0301",
  "\u0327",
  "ﬁ",
  "Ａ",
  "ｂ",
  "²",
  "\u212a",
  "İ",
  "ß",
  "Σ",
  "σ",
  "ς",
  "Α",
  "한",
  "\u1100",
  "क",
  "\u093f",
  "\u{1d49c}",
  "\u{1f600}",
  "\ud800",
  "\udc00",
  "\u00a0",
  "\u3000",
  "٣",
  "x".repeat(maxTermLength),
  "é".repeat(maxTermLength),
];
const text = fc.oneof(
  fc.array(fc.constantFrom(...tricky), { maxLength: 30 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ maxLength: 200 }),
);

describe("words", () => {
  it("answers what lowercase, NFKD, mark removal and the split answer, on any text", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(words(t)).toEqual(referenceWords(t));
      }),
      { numRuns: 5_000 },
    );
  });

  it("keeps a word at the length limit and drops one past it, ASCII or not", () => {
    const long = "a".repeat(maxTermLength);
    expect(words(`${long} ${long}b é${long}`)).toEqual([long]);
    expect(words(`x${"é".repeat(maxTermLength - 1)}-y`)).toEqual([
      `x${"e".repeat(maxTermLength - 1)}`,
      "y",
    ]);
  });

  it("hands every caller an array of its own", () => {
    const first = words("Crème brûlée");
    first.push("changed");
    expect(words("Crème brûlée")).toEqual(["creme", "brulee"]);
  });

  it("shares the last text's words with the next caller who asks for that text", () => {
    expect(sharedWords("Crème lamp")).toEqual(["creme", "lamp"]);
    expect(sharedWords("Crème lamp")).toBe(sharedWords("Crème lamp"));
    expect(sharedWords("Desk")).toEqual(["desk"]);
  });
});

describe("searchTerms", () => {
  it("weighs and orders the words of any name and description as before", () => {
    fc.assert(
      fc.property(text, text, (name, description) => {
        expect(searchTerms(name, description)).toEqual(referenceSearchTerms(name, description));
      }),
      { numRuns: 2_000 },
    );
  });
});
