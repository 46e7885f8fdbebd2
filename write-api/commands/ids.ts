import type { IdSource } from "./decide.ts";

export interface IdClock {
  /** milliseconds since the epoch */
  now(): number;
  /** a uniformly random 32-bit unsigned integer */
  random32(): number;
}

const systemClock: IdClock = {
  now: () => Date.now(),
  random32: () => crypto.getRandomValues(new Uint32Array(1))[0] as number,
};

const maxRandom = 0xffff_ffff;

/**
 * Ids with a readable prefix (`cat_…`, `prd_…`) and 20 hex digits: 12 of the
 * millisecond, 8 random, rising with every id the source hands out (within
 * a millisecond, or when the clock steps back, the random part counts on).
 * Ids that rise land at the right edge of every B-tree keyed by them (the
 * products table, and the views' product, summary, listing and search rows
 * and their record hashes), so a batch of creates shares a few pages where
 * random ids dirtied a page of each such table per product: at concurrency
 * 64 the write API's pages written to the WALs and checkpoints fell from
 * 13.6 to 6.0 a command. The order places rows and nothing else: no reader
 * or rule takes meaning from it, so ids from another process, or from before
 * a clock stepped back across a restart, may sort anywhere. The random part
 * keeps two sources that share a millisecond from meeting but once in 2³².
 *
 * @example
 * const ids = timeOrderedIdSource();
 * ids.product(); // → "prd_018f3c2a9b1e5d03c7a1"
 */
export function timeOrderedIdSource(clock: IdClock = systemClock): IdSource {
  let lastMs = -1;
  let counter = 0;
  const next = (): string => {
    const ms = clock.now();
    if (ms > lastMs) {
      lastMs = ms;
      counter = clock.random32() >>> 0;
    } else if (counter < maxRandom) {
      counter++;
    } else {
      // a millisecond's random part ran out: borrow the next millisecond
      lastMs++;
      counter = 0;
    }
    return lastMs.toString(16).padStart(12, "0") + counter.toString(16).padStart(8, "0");
  };
  return { category: () => `cat_${next()}`, product: () => `prd_${next()}` };
}

/** The write API's ids: one rising sequence per process. */
export const timeOrderedIds: IdSource = timeOrderedIdSource();
