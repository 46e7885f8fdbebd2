import type { EventSource } from "../../shared/events/eventSource.ts";
import {
  type LogBatch,
  LogHoleError,
  readLogToHead,
  TargetBehindError,
} from "../../shared/events/logReader.ts";
import { bulkBuild, canBulkLoad } from "../../shared/views/bulkBuild.ts";
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
  /**
   * From seq 0 into a store that can bulk load (SQL, Redis), fold the log in memory
   * and load each record once (default); false: through `apply`, batch by batch.
   */
  bulk?: boolean;
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
  let head = from;
  let applied = 0;
  const progress = (batch: LogBatch) => {
    applied += batch.applied;
    o.onProgress?.({
      watermark: batch.watermark,
      head: batch.head,
      from,
      applied,
      elapsedMs: now() - started,
    });
  };
  try {
    let after = from;
    if (from === 0 && o.bulk !== false && (await canBulkLoad(o.store))) {
      const folded = await bulkBuild(o.source, o.store, {
        pageSize: batchSize,
        onBatch: progress,
      });
      after = folded.watermark;
    }
    // what a bulk load could not see (the log moved on), or the whole way without one
    const done = await readLogToHead(o.source, o.store, after, {
      pageSize: batchSize,
      batchSize: applyBatchSize,
      target: "the target's views",
      onBatch: progress,
    });
    head = done.head;
  } catch (error) {
    if (error instanceof TargetBehindError) {
      throw new RebuildError(
        `the target's views stop at seq ${error.watermark}; events ${error.missing.from}-${error.missing.to} are missing (use --from ${error.watermark})`,
        { cause: error },
      );
    }
    if (error instanceof LogHoleError) throw new RebuildError(error.message, { cause: error });
    throw error;
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
