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

  it("encode as the cursors already issued did, so a client's cursor outlives a deploy", () => {
    const issued = [
      [
        { sort: "name", inStock: true, after: "crème brûlée 🍮\u0001prd_1" },
        "eyJ2IjoxLCJ0IjoibCIsInMiOiJuYW1lIiwiZiI6MSwiayI6ImNyw6htZSBicsO7bMOpZSDwn42uXHUwMDAxcHJkXzEifQ",
      ],
      [
        { sort: "price_asc", inStock: false, after: "0000000003894|prd_00064202" },
        "eyJ2IjoxLCJ0IjoibCIsInMiOiJwcmljZV9hc2MiLCJmIjowLCJrIjoiMDAwMDAwMDAwMzg5NHxwcmRfMDAwNjQyMDIifQ",
      ],
    ] as const;
    for (const [query, cursor] of issued) {
      expect(encodeListingCursor(query)).toBe(cursor);
      expect(decodeListingCursor(cursor, query)).toBe(query.after);
    }
    expect(encodeAttributeCursor("lamp\u0001p1")).toBe(
      "eyJ2IjoxLCJ0IjoiYSIsImsiOiJsYW1wXHUwMDAxcDEifQ",
    );
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
