/** How long to wait before each retry, scaled so tests can run QStash's curve in milliseconds. */
export interface RetryPolicy {
  /** Retries when the publisher sends no `Upstash-Retries` (QStash: the plan's maximum; 3 on the free plan). */
  defaultRetries: number;
  /** The curve's unit: QStash's is one second. */
  baseDelayMs: number;
  /** Cap of one delay: QStash's is one day. */
  maxDelayMs: number;
}

/** QStash's own numbers: 3 retries, delays in seconds, capped at a day. */
export const QSTASH_RETRY_POLICY: RetryPolicy = {
  defaultRetries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 86_400_000,
};

/**
 * Delay before the next retry of a message that has been retried `retried`
 * times so far. QStash documents `min(86400, e ** (2.5 * n))` seconds with n
 * counting from 1 for the first retry (12s, 2m28s, 30m8s, …); here the second
 * becomes `baseDelayMs` and the day `maxDelayMs`.
 *
 * @example
 * retryDelayMs(0, QSTASH_RETRY_POLICY); // 12_182
 */
export const retryDelayMs = (retried: number, policy: RetryPolicy): number =>
  Math.round(Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.exp(2.5 * (retried + 1))));
