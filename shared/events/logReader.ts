import { AppError } from "../errors/index.ts";
import type { ApplyResult } from "../views/viewStore.ts";
import type { EventPage, EventSource } from "./eventSource.ts";
import type { StoredEvent } from "./types.ts";

/**
 * The log has no events where its head says there are some: reading again
 * would find the same hole, so every reader of the log stops here, naming it.
 */
export class LogHoleError extends AppError {
  override readonly name = "LogHoleError";
  constructor(
    readonly missing: { from: number; to: number },
    where: string,
  ) {
    // 503 where a request meets it (an ingest's gap fill): QStash retries later
    super("unavailable", `the log is missing seqs ${missing.from}-${missing.to} after ${where}`, {
      details: { missing },
    });
  }
}

/**
 * The target's watermark is behind the checkpoint it was read from (a
 * rebuild told to start past what its target holds): the log is whole, the
 * target lacks `missing`.
 */
export class TargetBehindError extends AppError {
  override readonly name = "TargetBehindError";
  constructor(
    readonly watermark: number,
    readonly missing: { from: number; to: number },
  ) {
    super(
      "conflict",
      `the target stops at seq ${watermark}; events ${missing.from}-${missing.to} are missing`,
      { details: { watermark, missing } },
    );
  }
}

/**
 * The log ends before views folded from it (a primary restored from an older
 * copy of its database): those views hold events no reader of this log can
 * pull, so a build meant to catch up with them never will.
 */
export class LogBehindViewsError extends AppError {
  override readonly name = "LogBehindViewsError";
  constructor(
    readonly viewsWatermark: number,
    readonly head: number,
  ) {
    super(
      "conflict",
      `the live views are at seq ${viewsWatermark} but the log ends at seq ${head}: they hold events the log no longer has (was the primary restored from an older copy?)`,
      { details: { viewsWatermark, head } },
    );
  }
}

/** Whatever takes the log's events: a view store, a new generation, one transaction's views. */
export interface LogTarget {
  apply(events: readonly StoredEvent[]): Promise<ApplyResult>;
}

/** One batch taken from the log and applied. */
export interface LogBatch {
  /** the target's watermark after the apply: the checkpoint the next batch reads after */
  watermark: number;
  /** the log's head at the last page pulled */
  head: number;
  /** events the target took (0 when another apply got there first) */
  applied: number;
  /** the events pulled, in seq order; empty at the head */
  events: StoredEvent[];
}

export interface LogBatchOptions {
  /** events per pull (the primary serves at most 1,000) */
  pageSize: number;
  /** events per apply, pulled in as many pages as it takes (default: one page) */
  batchSize?: number;
  /** told of every page pulled: the head it reports, that the primary was heard */
  onPage?: (page: EventPage) => void;
  /** names the target in a hole's error: "the inline views' watermark 812", say */
  target?: string;
}

/**
 * One step of reading the log after a checkpoint: pulls up to `batchSize`
 * events after `after` (page by page, stopping at the head), applies them to
 * the target in one batch and returns the target's new watermark. A page
 * that does not continue the checkpoint, or a head the log serves nothing
 * up to, is a hole: it throws `LogHoleError` with the missing seqs (or
 * `TargetBehindError` when the target itself stops short of the checkpoint).
 *
 * @example
 * const step = await readLogBatch(source, store, await store.watermark(), { pageSize: 1_000 });
 * step; // → { watermark: 1000, head: 5321, applied: 1000, events: [...] }
 */
export async function readLogBatch(
  source: EventSource,
  target: LogTarget,
  after: number,
  options: LogBatchOptions,
): Promise<LogBatch> {
  const size = Math.max(1, options.batchSize ?? options.pageSize);
  const where = options.target ?? `seq ${after}`;
  const events: StoredEvent[] = [];
  let pulledTo = after;
  let head = after;
  while (events.length < size) {
    const page = await source.pull(pulledTo, Math.min(options.pageSize, size - events.length));
    options.onPage?.(page);
    head = page.head;
    const last = page.events.at(-1);
    if (!last) break;
    for (const e of page.events) events.push(e);
    pulledTo = last.seq;
    if (pulledTo >= head) break;
  }
  if (events.length === 0) {
    if (head > after) throw new LogHoleError({ from: after + 1, to: head }, where);
    return { watermark: after, head, applied: 0, events };
  }
  const result = await target.apply(events);
  if (result.status === "gap") {
    if (result.watermark < after) throw new TargetBehindError(result.watermark, result.missing);
    throw new LogHoleError(result.missing, where);
  }
  return {
    // A concurrent apply (an ingest) may have moved the target further: follow it.
    watermark: result.watermark,
    head,
    applied: result.status === "applied" ? result.applied : 0,
    events,
  };
}

export interface LogReadResult {
  watermark: number;
  head: number;
  applied: number;
}

/**
 * Reads the log into a target from its checkpoint up to the head, batch by
 * batch (`readLogBatch`), calling `onBatch` after each: the reader's catch-up
 * and the rebuild CLI.
 *
 * @example
 * await readLogToHead(source, store, await store.watermark(), { pageSize: 500 });
 * // → { watermark: 812, head: 812, applied: 12 }
 */
export async function readLogToHead(
  source: EventSource,
  target: LogTarget,
  after: number,
  options: LogBatchOptions & { onBatch?: (batch: LogBatch) => void },
): Promise<LogReadResult> {
  let watermark = after;
  let applied = 0;
  for (;;) {
    const batch = await readLogBatch(source, target, watermark, options);
    watermark = batch.watermark;
    applied += batch.applied;
    if (batch.events.length > 0) options.onBatch?.(batch);
    if (batch.events.length === 0 || watermark >= batch.head) {
      return { watermark, head: batch.head, applied };
    }
  }
}
