import { describe, expect, it } from "vitest";
import { readCache } from "./readCache.ts";

const entry = (watermark: number) => ({ status: 200, body: `{"w":${watermark}}`, watermark });

describe("readCache", () => {
  it("answers only for the watermark an entry was served at", () => {
    const cache = readCache(10);
    cache.put(5, "/v1/categories", entry(5));
    expect(cache.get(5, "/v1/categories")).toEqual(entry(5));
    expect(cache.get(6, "/v1/categories")).toBeUndefined();
    expect(cache.get(5, "/v1/categories?x=1")).toBeUndefined();
  });

  it("forgets every answer when the views switch generation", () => {
    let generation = "g1";
    const cache = readCache(10, () => generation);
    cache.put(5, "/v1/categories", entry(5));
    generation = "g2";
    expect(cache.get(5, "/v1/categories")).toBeUndefined();
    cache.put(5, "/v1/categories", entry(5));
    expect(cache.get(5, "/v1/categories")).toEqual(entry(5));
  });

  it("evicts the least recently used entry", () => {
    const cache = readCache(2);
    cache.put(1, "/a", entry(1));
    cache.put(1, "/b", entry(1));
    cache.get(1, "/a");
    cache.put(1, "/c", entry(1));
    expect(cache.get(1, "/b")).toBeUndefined();
    expect(cache.get(1, "/a")).toBeDefined();
    expect(cache.stats()).toMatchObject({ entries: 2 });
  });

  it("keeps one answer per URL, the newer watermark's replacing the older", () => {
    const cache = readCache(10);
    cache.put(5, "/v1/categories", entry(5));
    cache.put(6, "/v1/categories", entry(6));
    expect(cache.get(6, "/v1/categories")).toEqual(entry(6));
    expect(cache.get(5, "/v1/categories")).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 1 });
  });

  it("keeps an entry read between every insertion however many come", () => {
    const cache = readCache(4);
    for (const url of ["/hot", "/b", "/c", "/d"]) cache.put(1, url, entry(1));
    for (let i = 0; i < 20; i++) {
      expect(cache.get(1, "/hot")).toBeDefined();
      cache.put(1, `/new-${i}`, entry(1));
    }
    expect(cache.get(1, "/hot")).toBeDefined();
    expect(cache.get(1, "/new-15")).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 4 });
  });
});
