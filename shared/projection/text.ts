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
  // An ASCII character other than a letter or a digit splits the text into
  // pieces whose words are the text's words, in order: NFKD leaves it alone
  // and it is a starter, so no decomposition or reordering crosses it; it is
  // no mark; and it separates. A piece of ASCII letters and digits is one
  // word as it stands (A-Z are lowercased already); only a piece holding
  // anything else goes through normalization.
  const lower = text.toLowerCase();
  const out: string[] = [];
  let start = 0;
  let ascii = true;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : space;
    if (c >= 0x80) ascii = false;
    else if (!isAsciiLetterOrDigit(c)) {
      if (i > start && !ascii) for (const w of pieceWords(lower.slice(start, i))) out.push(w);
      else if (i > start && i - start <= maxTermLength) out.push(lower.slice(start, i));
      start = i + 1;
      ascii = true;
    }
  }
  return out;
}

const space = 0x20;
const isAsciiLetterOrDigit = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/**
 * The words of a lowercased piece, remembered: words recur across a catalog
 * (and more so in a generated one), and normalizing is most of the cost of
 * a non-ASCII word. Bounded in count and length; a pure function's answers,
 * so nothing can tell.
 */
function pieceWords(piece: string): readonly string[] {
  const known = pieces.get(piece);
  if (known !== undefined) return known;
  const found = piece
    .normalize("NFKD")
    .replace(marks, "")
    .split(separators)
    .filter((w) => w.length > 0 && w.length <= maxTermLength);
  if (piece.length > maxPieceLength) return found;
  if (pieces.size >= maxPieces) pieces.clear();
  pieces.set(piece, found);
  return found;
}

const pieces = new Map<string, readonly string[]>();
const maxPieces = 10_000;
const maxPieceLength = 4 * maxTermLength;

let lastText: string | undefined;
let lastWords: readonly string[] = [];

/**
 * `words(text)`, shared with whoever asked for the same text last: a product's
 * name is split for its listing key, its search terms and its facet entry in
 * a row. A pure function's last answer, so no caller can see the difference
 * (the array is read-only).
 *
 * @example
 * sharedWords("Desk lamp") === sharedWords("Desk lamp"); // → true: one array, split once
 */
export function sharedWords(text: string): readonly string[] {
  if (text !== lastText) {
    lastWords = words(text);
    lastText = text;
  }
  return lastWords;
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
  // Setting a name word twice changes nothing, so only description words need telling apart.
  for (const w of sharedWords(name)) weights.set(w, termWeights.name);
  for (const w of new Set(sharedWords(description))) {
    weights.set(w, (weights.get(w) ?? 0) + termWeights.description);
  }
  return [...weights].sort((a, b) => compareCodePoints(a[0], b[0]));
}
