/** Counters of what the server did, for `/local/stats` and for tests to assert on. */
export interface DeliveryStats {
  published: number;
  deduplicated: number;
  attempts: number;
  delivered: number;
  failedAttempts: number;
  retried: number;
  deadLettered: number;
  canceled: number;
  /** Fault injection: attempts never made, made twice, held back, delayed. */
  dropped: number;
  duplicated: number;
  reordered: number;
  delayed: number;
}

/**
 * @example
 * const stats = createStats(); stats.delivered++;
 */
export const createStats = (): DeliveryStats => ({
  published: 0,
  deduplicated: 0,
  attempts: 0,
  delivered: 0,
  failedAttempts: 0,
  retried: 0,
  deadLettered: 0,
  canceled: 0,
  dropped: 0,
  duplicated: 0,
  reordered: 0,
  delayed: 0,
});
