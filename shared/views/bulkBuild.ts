import type { EventSource } from "../events/eventSource.ts";
import {
  type LogBatch,
  type LogReadResult,
  type LogTarget,
  readLogToHead,
} from "../events/logReader.ts";
import { type BulkFold, BulkFoldGapError, createBulkFold } from "../projection/bulkFold.ts";
import type { ApplyResult, ViewStore } from "./viewStore.ts";

/**
 * The watermark of views a bulk load is writing: no apply lands on them (it
 * would fold events over part of the catalog) and a new load starts them over.
 */
export const bulkLoadingWatermark = -2;

/**
 * Whether a rebuild from seq 0 may bulk load into this store: it can, and it
 * holds no applied event (or a load a crash cut short).
 *
 * @example
 * if (await canBulkLoad(store)) await bulkBuild(source, store, { pageSize: 1_000 });
 */
export async function canBulkLoad(store: ViewStore): Promise<boolean> {
  if (!store.bulkLoad) return false;
  const at = await store.watermark();
  return at === 0 || at === bulkLoadingWatermark;
}

/** The bulk fold as the log reader's target: pages fold into it, a hole comes back as `gap`. */
const foldTarget = (bulk: BulkFold): LogTarget => ({
  async apply(events): Promise<ApplyResult> {
    const before = bulk.watermark;
    try {
      bulk.add(events);
    } catch (error) {
      if (!(error instanceof BulkFoldGapError)) throw error;
      return { status: "gap", watermark: error.watermark, missing: error.missing };
    }
    const applied = bulk.watermark - before;
    return applied > 0
      ? { status: "applied", watermark: bulk.watermark, applied }
      : { status: "duplicate", watermark: before };
  },
});

export interface BulkBuildOptions {
  /** events per pull (the primary serves at most 1,000) */
  pageSize: number;
  /** products per load transaction (`createBulkFold().records`) */
  chunkSize?: number;
  /** after each page folded */
  onBatch?: (batch: LogBatch) => void;
}

/**
 * Builds views from seq 0 at bulk speed: the log, page by page through the
 * one log reader, folds into the catalog's final state in memory (bounded by
 * the catalog, not the log); the store then loads every record once, in
 * chunks, and takes the watermark last. What the log gained meanwhile is the
 * caller's to apply (an ordinary catch-up from the returned watermark).
 *
 * @example
 * if (await canBulkLoad(store)) await bulkBuild(source, store, { pageSize: 1_000 });
 */
export async function bulkBuild(
  source: EventSource,
  store: ViewStore,
  options: BulkBuildOptions,
): Promise<LogReadResult> {
  if (!store.bulkLoad)
    throw new Error("this view store cannot bulk load: rebuild it through apply");
  const bulk = createBulkFold();
  const folded = await readLogToHead(source, foldTarget(bulk), 0, {
    pageSize: options.pageSize,
    target: "the bulk fold",
    onBatch: options.onBatch,
  });
  await store.bulkLoad(bulk.records(options.chunkSize), bulk.watermark);
  return folded;
}
