/** Longer "words" are noise (hashes, URLs) and would only bloat the index. */
export const maxTermLength = 64;

/** Name words outrank description words, so a product named "lamp" beats one that mentions a lamp. */
export const termWeights = { name: 2, description: 1 } as const;

const marks = /\p{M}+/gu;
const separators = /[^\p{L}\p{N}]+/u;

/**
 * Splits text into search words: lowercase, Unicode NFKD with diacritics
 * stripped, split on anything that is not a letter or a digit. Marks are
 * removed rather than split on, so scripts whose vowel signs are marks keep
 * their words whole. Used for indexing and for queries alike, which is what
 * makes "Café" find "cafe".
 *
 * @example
 * words("Crème Brûlée, 2-pack"); // → ["creme", "brulee", "2", "pack"]
 */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(marks, "")
    .split(separators)
    .filter((w) => w.length > 0 && w.length <= maxTermLength);
}

/**
 * The distinct words of a query, in first-seen order.
 *
 * @example
 * queryTerms("lamp LAMP lámpara"); // → ["lamp", "lampara"]
 */
export function queryTerms(q: string): string[] {
  return [...new Set(words(q))];
}

/**
 * Orders strings by Unicode code point, which is UTF-8 byte order: the order
 * SQLite's BINARY collation and Redis lexicographic ranges use. JavaScript's
 * `<` compares UTF-16 units and disagrees on characters beyond the BMP.
 *
 * @example
 * ["b", "a"].sort(compareCodePoints); // → ["a", "b"]
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only a surrogate against a unit at or above U+E000 sorts differently by code point.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The weighted index terms of a product, sorted by term.
 *
 * @example
 * searchTerms("Desk lamp", "A lamp for desks"); // → [["a",1],["desk",2],["desks",1],["for",1],["lamp",3]]
 */
export function searchTerms(name: string, description: string): Array<[string, number]> {
  const weights = new Map<string, number>();
  for (const w of new Set(words(name))) weights.set(w, termWeights.name);
  for (const w of new Set(words(description))) {
    weights.set(w, (weights.get(w) ?? 0) + termWeights.description);
  }
  return [...weights].sort((a, b) => compareCodePoints(a[0], b[0]));
}
