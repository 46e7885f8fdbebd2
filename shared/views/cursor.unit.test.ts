import { describe, expect, it } from "vitest";
import {
  decodeAttributeCursor,
  decodeListingCursor,
  decodeSearchCursor,
  encodeAttributeCursor,
  encodeListingCursor,
  encodeSearchCursor,
  InvalidCursorError,
} from "./cursor.ts";

describe("cursors", () => {
  it("round-trip, opaque and URL-safe, whatever the key holds", () => {
    const after = "crème brûlée 🍮\u0001prd_1";
    const cursor = encodeListingCursor({ sort: "name", inStock: true, after });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListingCursor(cursor, { sort: "name", inStock: true })).toBe(after);
    expect(decodeSearchCursor(encodeSearchCursor({ score: 3, id: "p" }))).toEqual({
      score: 3,
      id: "p",
    });
    expect(decodeAttributeCursor(encodeAttributeCursor(after))).toBe(after);
  });

  it("turn anything else into a typed 400, never a crash", () => {
    const listing = encodeListingCursor({ sort: "name", inStock: false, after: "k" });
    const bad = [
      () => decodeListingCursor("", { sort: "name", inStock: false }),
      () => decodeListingCursor("💥", { sort: "name", inStock: false }),
      () => decodeListingCursor("_w", { sort: "name", inStock: false }),
      () => decodeListingCursor("x".repeat(5_000), { sort: "name", inStock: false }),
      () => decodeListingCursor(listing, { sort: "newest", inStock: false }),
      () => decodeListingCursor(listing, { sort: "name", inStock: true }),
      () => decodeSearchCursor(listing),
      () => decodeSearchCursor(encodeSearchCursor({ score: -1, id: "p" })),
      () => decodeAttributeCursor(listing),
      () => decodeListingCursor(encodeAttributeCursor("k"), { sort: "name", inStock: false }),
      () => decodeAttributeCursor(encodeAttributeCursor("")),
    ];
    for (const decode of bad) {
      expect(decode).toThrow(InvalidCursorError);
      try {
        decode();
      } catch (e) {
        expect(e).toMatchObject({ status: 400, code: "bad_request" });
      }
    }
  });
});
