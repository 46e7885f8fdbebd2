import { describe, expect, it } from "vitest";
import type { ViewRecord } from "../projection/index.ts";
import { canonicalJson } from "./canonicalJson.ts";
import { digestChunkSize, digestRecords, ViewDigest } from "./viewDigest.ts";

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

describe("view digest", () => {
  it("ignores the order records arrive in and the order of fields", async () => {
    const a = [page("b", { x: 1, y: 2 }), page("a")];
    const b = [
      page("a"),
      { kind: "page", key: "b", value: { y: 2, x: 1, slug: "b" } } as unknown as ViewRecord,
    ];
    expect(await digestRecords(a)).toBe(await digestRecords(b));
    expect(await digestRecords(a)).not.toBe(await digestRecords([page("a")]));
  });

  it("is the SHA-256 of the domain line and the chunk hashes", async () => {
    const bytes = new TextEncoder().encode("edge-cqrs/views/v1\n");
    const empty = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
    expect(await digestRecords([])).toBe(empty);
  });

  it("hashes across chunk boundaries and rejects records out of canonical order", async () => {
    const many = Array.from({ length: digestChunkSize * 2 + 3 }, (_, i) => page(`p${i}`));
    expect(await digestRecords(many)).toBe(await digestRecords([...many].reverse()));
    const d = new ViewDigest();
    await d.add(page("b"));
    await expect(d.add(page("a"))).rejects.toThrow("out of canonical order");
  });
});
