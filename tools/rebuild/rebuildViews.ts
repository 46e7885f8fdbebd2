import type { EventSource } from "../../shared/events/eventSource.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";

export interface RebuildProgress {
  watermark: number;
  /** the primary's head as last reported; it may grow while we run */
  head: number;
  /** where this run started */
  from: number;
  applied: number;
  elapsedMs: number;
}

export interface RebuildSummary {
  from: number;
  /** events applied by this run */
  events: number;
  seconds: number;
  eventsPerSecond: number;
  watermark: number;
  head: number;
  digest: string;
}

export interface RebuildOptions {
  source: EventSource;
  store: ViewStore;
  /** pull events after this seq (0 for a rebuild from scratch) */
  from?: number;
  /** events per pull; the primary serves at most 1,000 */
  batchSize?: number;
  /**
   * Events per apply (default 20,000). The projection folds a batch before it
   * writes, so every product touched many times in a batch is written once:
   * large batches make a rebuild several times faster than page-sized ones.
   */
  applyBatchSize?: number;
  onProgress?: (p: RebuildProgress) => void;
  now?: () => number;
}

/** The log and the target disagree in a way a retry cannot fix. */
export class RebuildError extends Error {
  override readonly name = "RebuildError";
}

/**
 * Pulls the log page by page into a view store until it reaches the head,
 * through the store's own apply protocol (so duplicates are skipped and a
 * hole is reported, never papered over), then computes the digest.
 *
 * @example
 * const summary = await rebuildViews({ source, store }); // → { events: 100000, digest: "…", … }
 */
export async function rebuildViews(o: RebuildOptions): Promise<RebuildSummary> {
  const now = o.now ?? (() => performance.now());
  const from = o.from ?? 0;
  const batchSize = o.batchSize ?? 1_000;
  const applyBatchSize = Math.max(batchSize, o.applyBatchSize ?? 20_000);
  const started = now();
  let after = from;
  let head = from;
  let applied = 0;
  for (;;) {
    const batch: StoredEvent[] = [];
    let pulledTo = after;
    while (batch.length < applyBatchSize) {
      const page = await o.source.pull(pulledTo, batchSize);
      head = page.head;
      const lastPulled = page.events.at(-1);
      if (!lastPulled) break;
      for (const e of page.events) batch.push(e);
      pulledTo = lastPulled.seq;
      if (pulledTo >= head) break;
    }
    const last = batch.at(-1);
    if (!last) {
      if (after >= head) break;
      throw new RebuildError(
        `the source reports head ${head} but serves nothing after seq ${after}`,
      );
    }
    const result = await o.store.apply(batch);
    if (result.status === "gap") {
      throw new RebuildError(
        `the target's views stop at seq ${result.watermark}; events ${result.missing.from}-${result.missing.to} are missing (use --from ${result.watermark})`,
      );
    }
    if (result.status === "applied") applied += result.applied;
    after = Math.max(last.seq, result.watermark);
    o.onProgress?.({
      watermark: result.watermark,
      head,
      from,
      applied,
      elapsedMs: now() - started,
    });
    if (after >= head) break;
  }
  const seconds = (now() - started) / 1_000;
  return {
    from,
    events: applied,
    seconds,
    eventsPerSecond: seconds > 0 ? applied / seconds : applied,
    watermark: await o.store.watermark(),
    head,
    digest: (await o.store.digest()).digest,
  };
}
