import { AppError } from "../errors/index.ts";
import { type ListingSort, listingSorts } from "./readModels.ts";

/** A cursor the client made up, mangled or carried to another query: a 400, never a 500. */
export class InvalidCursorError extends AppError {
  override readonly name = "InvalidCursorError";
  constructor(reason: string) {
    super("bad_request", `invalid cursor: ${reason}`, { details: { parameter: "cursor", reason } });
  }
}

/** Real cursors are well under this; anything longer is not one of ours. */
const maxCursorLength = 2_048;

// Made once: on V8 a new TextDecoder and a byte-by-byte copy cost several µs a cursor.
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
/** Characters beyond ASCII: their UTF-8 needs encoding; ASCII text is its own binary string. */
const beyondAscii = /[\u0080-\uffff]/;
const base64Specials = /[+/=]/g;
const base64UrlOf = (ch: string) => (ch === "+" ? "-" : ch === "/" ? "_" : "");

function toBase64Url(text: string): string {
  let binary = text;
  if (beyondAscii.test(text)) {
    binary = "";
    for (const byte of utf8Encoder.encode(text)) binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(base64Specials, base64UrlOf);
}

function fromBase64Url(cursor: string): unknown {
  if (cursor.length === 0 || cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError("not a cursor this API issued");
  }
  try {
    const binary = atob(cursor.replace(/[-_]/g, (ch) => (ch === "-" ? "+" : "/")));
    if (!beyondAscii.test(binary)) return JSON.parse(binary);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    throw new InvalidCursorError("not a cursor this API issued");
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The cursor after a listing row: the row's sort key, bound to the sort and
 * filter it was issued for.
 *
 * @example
 * encodeListingCursor({ sort: "name", inStock: false, after: "lamp\u0001p1" }); // → "eyJ2Ijox…"
 */
export function encodeListingCursor(c: {
  sort: ListingSort;
  inStock: boolean;
  after: string;
}): string {
  return toBase64Url(JSON.stringify({ v: 1, t: "l", s: c.sort, f: c.inStock ? 1 : 0, k: c.after }));
}

/**
 * The sort key to continue after, or a typed 400 for anything else.
 *
 * @example
 * decodeListingCursor(cursor, { sort: "name", inStock: false }); // → "lamp\u0001p1"
 * decodeListingCursor("garbage!", query); // throws InvalidCursorError
 */
export function decodeListingCursor(
  cursor: string,
  query: { sort: ListingSort; inStock: boolean },
): string {
  const c = fromBase64Url(cursor);
  if (!isRecord(c) || c.v !== 1 || c.t !== "l" || typeof c.k !== "string" || c.k.length === 0) {
    throw new InvalidCursorError("not a listing cursor");
  }
  if (!listingSorts.includes(c.s as ListingSort) || c.s !== query.sort) {
    throw new InvalidCursorError("issued for another sort");
  }
  if (c.f !== (query.inStock ? 1 : 0)) throw new InvalidCursorError("issued for another filter");
  return c.k;
}

/**
 * The cursor after a facet row: the row's name sort key. Bound to nothing
 * more, as a listing cursor is not bound to its category: a cursor carried to
 * another facet value just starts there, it cannot reveal or break anything.
 *
 * @example
 * encodeAttributeCursor("lamp\u0001p1"); // → "eyJ2Ijox…"
 */
export function encodeAttributeCursor(after: string): string {
  return toBase64Url(JSON.stringify({ v: 1, t: "a", k: after }));
}

/**
 * @example
 * decodeAttributeCursor(encodeAttributeCursor("lamp\u0001p1")); // → "lamp\u0001p1"
 * decodeAttributeCursor(listingCursor); // throws InvalidCursorError
 */
export function decodeAttributeCursor(cursor: string): string {
  const c = fromBase64Url(cursor);
  if (!isRecord(c) || c.v !== 1 || c.t !== "a" || typeof c.k !== "string" || c.k.length === 0) {
    throw new InvalidCursorError("not an attribute cursor");
  }
  return c.k;
}

export interface SearchPosition {
  score: number;
  id: string;
}

/** @example encodeSearchCursor({ score: 3, id: "prd_1" }); // → "eyJ2Ijox…" */
export function encodeSearchCursor(p: SearchPosition): string {
  return toBase64Url(JSON.stringify({ v: 1, t: "s", sc: p.score, id: p.id }));
}

/**
 * @example
 * decodeSearchCursor(encodeSearchCursor({ score: 3, id: "p" })); // → { score: 3, id: "p" }
 */
export function decodeSearchCursor(cursor: string): SearchPosition {
  const c = fromBase64Url(cursor);
  if (
    !isRecord(c) ||
    c.v !== 1 ||
    c.t !== "s" ||
    typeof c.sc !== "number" ||
    !Number.isSafeInteger(c.sc) ||
    c.sc < 0 ||
    typeof c.id !== "string" ||
    c.id.length === 0
  ) {
    throw new InvalidCursorError("not a search cursor");
  }
  return { score: c.sc, id: c.id };
}
