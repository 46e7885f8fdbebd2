import { isQuiescent } from "./report.ts";
import type { StackTarget } from "./stackTarget.ts";
import { type FetchLike, fetchSnapshot, type StackSnapshot } from "./statusFetch.ts";

export interface QuiescenceWait {
  timeoutMs: number;
  fetch: FetchLike;
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls every `/v1/status` until all watermarks equal the head, or the
 * timeout passes; returns the last snapshot either way, for `verifyReport`.
 *
 * @example
 * const { snapshot, quiescent } = await waitForQuiescence(target, { timeoutMs: 30_000, fetch });
 */
export async function waitForQuiescence(
  target: StackTarget,
  o: QuiescenceWait,
): Promise<{ snapshot: StackSnapshot; quiescent: boolean; waitedMs: number }> {
  const now = o.now ?? (() => Date.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  for (;;) {
    const snapshot = await fetchSnapshot(target, o.fetch);
    const quiescent = isQuiescent(snapshot);
    const waitedMs = now() - started;
    // Once quiet, compare digests computed now: a cached one would hide a store changed in place.
    if (quiescent)
      return {
        snapshot: await fetchSnapshot(target, o.fetch, undefined, true),
        quiescent,
        waitedMs,
      };
    if (waitedMs >= o.timeoutMs) return { snapshot, quiescent, waitedMs };
    await sleep(Math.min(o.pollMs ?? 250, o.timeoutMs - waitedMs));
  }
}
