import { describe, expect, it } from "vitest";
import type { ViewRecord } from "../projection/index.ts";
import { canonicalJson } from "./canonicalJson.ts";
import { recordHash, xorHash, zeroHash } from "./recordHash.ts";
import { digestOfSum, digestRecords, hashOf, ViewDigest } from "./viewDigest.ts";

const page = (slug: string, extra: Record<string, unknown> = {}) =>
  ({ kind: "page", key: slug, value: { slug, ...extra } }) as unknown as ViewRecord;

describe("canonical JSON", () => {
  it("sorts keys at every depth, keeps array order and drops undefined fields", () => {
    expect(canonicalJson({ b: [{ z: 1, a: "é" }], a: null, c: undefined })).toBe(
      '{"a":null,"b":[{"a":"é","z":1}]}',
    );
  });

  it("refuses what JSON cannot say exactly", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson([undefined])).toThrow();
    expect(() => canonicalJson({ b: 1n })).toThrow();
  });
});

describe("record hash", () => {
  it("is 32 hex digits, the same for the same record, and differs with kind, key or any byte", () => {
    const h = recordHash("page", "desk-lamp", '{"slug":"desk-lamp"}');
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(recordHash("page", "desk-lamp", '{"slug":"desk-lamp"}')).toBe(h);
    const others = [
      recordHash("summary", "desk-lamp", '{"slug":"desk-lamp"}'),
      recordHash("page", "desk-lamq", '{"slug":"desk-lamp"}'),
      recordHash("page", "desk-lamp", '{"slug":"desk-lamq"}'),
      recordHash("page", "desk-lamp", '{"slug":"desk-lamp"} '),
      // the separators are part of the line: moving text across them changes it
      recordHash("page\ndesk", "lamp", '{"slug":"desk-lamp"}'),
    ];
    for (const other of others) expect(other).not.toBe(h);
    expect(new Set(others).size).toBe(others.length);
  });

  it("hashes every length of tail and every code unit, astral ones included", () => {
    const seen = new Set<string>();
    for (let n = 0; n <= 40; n++) seen.add(recordHash("k", "x", "é𝒜".repeat(n).slice(0, n)));
    expect(seen.size).toBe(41);
    expect(recordHash("k", "x", "\u00e9")).not.toBe(recordHash("k", "x", "\u00e8"));
  });

  it("spreads single-bit changes over the whole hash", () => {
    const bits = (hex: string) =>
      [...hex].reduce(
        (n, c) => n + [...Number.parseInt(c, 16).toString(2)].filter((b) => b === "1").length,
        0,
      );
    let flipped = 0;
    const rounds = 200;
    for (let i = 0; i < rounds; i++) {
      const a = recordHash("page", `p${i}`, '{"a":1}');
      const b = recordHash("page", `p${i}`, '{"a":3}');
      flipped += bits(xorHash(a, b));
    }
    // about half of the 128 bits flip on average
    expect(flipped / rounds).toBeGreaterThan(54);
    expect(flipped / rounds).toBeLessThan(74);
  });

  it("combines by XOR: a record leaves the sum as it joined", () => {
    const a = recordHash("page", "a", "{}");
    const b = recordHash("page", "b", "{}");
    const sum = xorHash(xorHash(zeroHash, a), b);
    expect(xorHash(xorHash(sum, a), a)).toBe(sum);
    expect(xorHash(sum, b)).toBe(a);
  });
});

describe("view digest", () => {
  it("ignores the order records arrive in, not what they hold", async () => {
    const a = [page("b", { x: 1, y: 2 }), page("a")];
    const b = [page("a"), page("b", { x: 1, y: 2 })];
    expect(await digestRecords(a)).toBe(await digestRecords(b));
    expect(await digestRecords(a)).not.toBe(await digestRecords([page("a")]));
    expect(await digestRecords(a)).not.toBe(await digestRecords([page("a"), page("b", { x: 2 })]));
  });

  it("is the SHA-256 of the domain line and the records' hash sum, streamed or at once", async () => {
    const bytes = new TextEncoder().encode(`edge-cqrs/views/v2\n${zeroHash}`);
    const empty = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
    expect(await digestRecords([])).toBe(empty);
    expect(await digestOfSum(zeroHash)).toBe(empty);
    const records = Array.from({ length: 2_500 }, (_, i) => page(`p${i}`));
    const streamed = new ViewDigest();
    let sum = zeroHash;
    for (const r of records) {
      streamed.add(r);
      sum = xorHash(sum, hashOf(r));
    }
    expect(streamed.sum).toBe(sum);
    expect(await streamed.finish()).toBe(await digestRecords([...records].reverse()));
    expect(await digestOfSum(sum)).toBe(await streamed.finish());
  });
});
