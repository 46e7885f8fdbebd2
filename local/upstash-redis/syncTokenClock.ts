/** Hands out Upstash read-your-writes sync tokens (`upstash-sync-token`). */
export interface SyncTokenClock {
  /** Accepts the token a request carried and returns the one for its response. */
  next(received: string | undefined): string;
}

/**
 * Upstash returns a sync token after each request and a replica waits until it
 * has caught up with the token the next request carries. Behind one Redis every
 * read already sees every write, so nothing has to wait: the token only has to
 * be present and never go backwards for a client. It counts requests and jumps
 * past any larger numeric token a client brings (from before a restart, say).
 *
 * @example
 * ```ts
 * const clock = createSyncTokenClock();
 * clock.next(undefined); // "1"
 * clock.next("41"); // "42"
 * ```
 */
export const createSyncTokenClock = (): SyncTokenClock => {
  let counter = 0n;
  return {
    next(received) {
      if (received !== undefined && /^\d{1,30}$/.test(received) && BigInt(received) > counter) {
        counter = BigInt(received);
      }
      counter += 1n;
      return counter.toString();
    },
  };
};
