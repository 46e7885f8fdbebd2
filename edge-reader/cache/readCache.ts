import { keepNewest } from "../../shared/collections/keepNewest.ts";

export interface CachedRead {
  status: number;
  body: string;
  watermark: number;
}

/** A URL's latest answer, what it was served at, and when it last moved to the newest end. */
interface Slot {
  entry: CachedRead;
  watermark: number;
  generation: string;
  movedAt: number;
}

/**
 * An in-process cache of replica answers, one per URL, each answering only
 * at the watermark it was served at. A lookup names the replica's current
 * watermark, which the router has already found to satisfy the request's
 * token, so an entry can never be older than the request allows; a URL's
 * next answer replaces its last. Keyed by the URL alone, a hit
 * hashes no key built for it (a Bun lookup 150-210 ns → 15).
 *
 * The least recently used goes first, nearly: a hit moves its entry to the
 * newest end only once the entry is among the older half (a Map delete and
 * set saved on most hits), so an entry read again before it could be
 * evicted is kept.
 *
 * @example
 * const cache = readCache(1_000);
 * cache.put(42, "/v1/categories", { status: 200, body, watermark: 42 });
 * cache.get(42, "/v1/categories"); // → the entry; cache.get(43, …) → undefined
 */
export function readCache(maxEntries: number, generation: () => string = () => "") {
  const slots = new Map<string, Slot>();
  // counts moves to the newest end: a slot moved `halfway` moves ago may be in the older half
  let moves = 0;
  const halfway = Math.max(1, maxEntries / 2);
  let hits = 0;
  let misses = 0;
  return {
    get(watermark: number, url: string): CachedRead | undefined {
      const slot = slots.get(url);
      // The views' generation is checked too: after a switch the same
      // watermark can answer in a new shape, and old answers must not outlive it.
      if (!slot || slot.watermark !== watermark || slot.generation !== generation()) {
        misses++;
        return undefined;
      }
      hits++;
      if (moves - slot.movedAt >= halfway) {
        // re-insert: Map iteration order is insertion order, so the oldest is first
        slots.delete(url);
        slot.movedAt = ++moves;
        slots.set(url, slot);
      }
      return slot.entry;
    },
    put(watermark: number, url: string, entry: CachedRead): void {
      if (maxEntries <= 0) return;
      slots.delete(url);
      slots.set(url, { entry, watermark, generation: generation(), movedAt: ++moves });
      keepNewest(slots, maxEntries);
    },
    stats: () => ({ entries: slots.size, hits, misses }),
  };
}

export type ReadCache = ReturnType<typeof readCache>;
