import { Client } from "@upstash/qstash";
import type { DeadLetter, DeadLetters } from "./dashboardView.ts";

export interface QStashAccess {
  baseUrl: string;
  token: string;
}

const timeout = (ms: number) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
};

/**
 * The most recent dead-lettered deliveries, read through the official QStash
 * Client (`client.dlq.listMessages()`), at most once per `minIntervalMs`. Never
 * throws: a QStash that is down or slow shows as unavailable on the page.
 *
 * @example
 * const recent = qstashDeadLetters({ baseUrl: "https://qstash.upstash.io", token }, 2_000);
 * // read at most every 5 s however many pages are open
 * await recent(); // → { available: true, messages: [{ messageId, url, responseStatus, … }] }
 */
export function qstashDeadLetters(
  access: QStashAccess,
  timeoutMs: number,
  options: { count?: number; minIntervalMs?: number; now?: () => number } = {},
): () => Promise<DeadLetters> {
  const { count = 10, minIntervalMs = 5_000, now = Date.now } = options;
  const pageSize = 100;
  // retry: false because a dashboard refresh is the retry; the SDK's backoff would outlast the timeout.
  // devMode false: a stray QSTASH_DEV must not point us at the SDK's dev server.
  const client = new Client({
    baseUrl: access.baseUrl,
    token: access.token,
    retry: false,
    devMode: false,
  });
  const read = async (): Promise<DeadLetters> => {
    const limit = timeout(timeoutMs);
    try {
      // QStash lists oldest first (2.12's SDK cannot ask otherwise): take one full page, newest first.
      const { messages, cursor } = await Promise.race([
        client.dlq.listMessages({ count: pageSize }),
        limit.expired,
      ]);
      const recent: DeadLetter[] = messages
        .map((m) => ({
          dlqId: m.dlqId,
          messageId: m.messageId,
          url: m.url,
          responseStatus: m.responseStatus ?? null,
          createdAt: new Date(m.createdAt).toISOString(),
          responseBody: m.responseBody?.slice(0, 300) ?? null,
        }))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, count);
      return { available: true, messages: recent, more: cursor !== undefined };
    } catch (error) {
      return {
        available: false,
        reason: `QStash dead-letter queue: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      limit.clear();
    }
  };
  // Every open page refreshes every few seconds; QStash's API is metered, the queue changes slowly.
  let last: { at: number; value: Promise<DeadLetters> } | null = null;
  return () => {
    if (last === null || now() - last.at >= minIntervalMs) last = { at: now(), value: read() };
    return last.value;
  };
}
