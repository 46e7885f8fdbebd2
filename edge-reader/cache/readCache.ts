import { keepNewest } from "../../shared/collections/keepNewest.ts";

export interface CachedRead {
  status: number;
  body: string;
  watermark: number;
}

/**
 * An in-process LRU of replica answers, keyed by the watermark they were
 * served at and the URL. A lookup names the replica's current watermark,
 * which the router has already found to satisfy the request's token, so an
 * entry can never be older than the request allows; entries of earlier
 * watermarks simply age out.
 *
 * @example
 * const cache = readCache(1_000);
 * cache.put(42, "/v1/categories", { status: 200, body, watermark: 42 });
 * cache.get(42, "/v1/categories"); // → the entry; cache.get(43, …) → undefined
 */
export function readCache(maxEntries: number, generation: () => string = () => "") {
  const entries = new Map<string, CachedRead>();
  let hits = 0;
  let misses = 0;
  // The views' generation is part of the key: after a switch the same
  // watermark can answer in a new shape, and old answers must not outlive it.
  const keyOf = (watermark: number, url: string) => `${generation()} ${watermark} ${url}`;
  return {
    get(watermark: number, url: string): CachedRead | undefined {
      const key = keyOf(watermark, url);
      const entry = entries.get(key);
      if (!entry) {
        misses++;
        return undefined;
      }
      hits++;
      // re-insert: Map iteration order is insertion order, so the oldest is first
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    put(watermark: number, url: string, entry: CachedRead): void {
      if (maxEntries <= 0) return;
      entries.set(keyOf(watermark, url), entry);
      keepNewest(entries, maxEntries);
    },
    stats: () => ({ entries: entries.size, hits, misses }),
  };
}

export type ReadCache = ReturnType<typeof readCache>;
