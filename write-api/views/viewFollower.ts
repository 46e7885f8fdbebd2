import { AppError } from "../../shared/errors/index.ts";
import { readLogBatch } from "../../shared/events/logReader.ts";
import {
  applyEventsInTransaction,
  readViewWatermark,
} from "../../shared/views/stores/sql/applyEvents.ts";
import type { SqlConnection } from "../../shared/views/stores/sql/connection.ts";
import { activeNamespaceIn } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewTables } from "../../shared/views/stores/sql/tables.ts";
import type { Primary } from "../db/openPrimary.ts";
import { eventStore } from "../eventStore/eventStore.ts";

export interface ViewFollowerOptions {
  /** the views' watermark when following starts */
  from: number;
  /** how long the views may trail a commit when nothing reads them, ms */
  everyMs: number;
  /** the most events one apply takes: each holds the writer commands wait for */
  batch: number;
  /** told when an apply fails; the follower retries with backoff */
  onError?: (error: unknown) => void;
}

export interface ViewFollower {
  /** a commit appended events up to `version`: the views follow within `everyMs` */
  committed(version: number): void;
  /** resolves once the views hold every event committed before the call */
  fresh(): Promise<void>;
  stop(): void;
}

/**
 * One step of following the log, inside a write transaction of the primary:
 * the events after the live namespace's watermark (at most `limit`), read
 * and applied there through the one log reader (`readLogBatch`). A switch is
 * a write on the same writer, so the namespace read here is the one the
 * events go to. A hole in the log fails with the missing seqs named.
 *
 * @example
 * const { watermark, head } = await primary.write((tx) => applyLogPage(tx, 500));
 */
export async function applyLogPage(
  tx: SqlConnection,
  limit: number,
): Promise<{ watermark: number; head: number; applied: number }> {
  const active = await activeNamespaceIn(tx);
  if (!active) throw new Error("the inline views are not set up: call openInlineViews first");
  const tables = viewTables(active.namespace);
  const watermark = await readViewWatermark(tx, tables);
  const log = eventStore(tx);
  const step = await readLogBatch(
    { pull: (after, limit) => log.read(after, limit) },
    { apply: (events) => applyEventsInTransaction(tx, events, tables) },
    watermark,
    { pageSize: limit, target: `the inline views' watermark ${watermark}` },
  );
  return { watermark: step.watermark, head: step.head, applied: step.applied };
}

const shuttingDown = () =>
  new AppError("unavailable", "the write API is shutting down; retry later");

/**
 * Keeps the primary's live views at the log's head, off the commands' path:
 * each apply is one write of its own in the primary's writer (it joins the
 * group of commands queued at that moment), folds every event committed since
 * the views' watermark in one batch, and is taken at most every `everyMs`
 * while writes flow, so a burst of commands pays the projection's fixed costs
 * (navigation, category stats, meta) once, not once per command. A read that
 * must be fresh calls `fresh()`, which applies at once. The events are read
 * from the log inside the apply's own transaction, so whatever committed
 * before it, by this process or any other, is in it; a crash between a
 * command's commit and its apply is caught up at the next start.
 *
 * @example
 * const follower = followLog(primary, { from: 0, everyMs: 50, batch: 500 });
 * onCommitted = (version) => follower.committed(version);
 * await follower.fresh(); // the views hold every commit so far
 */
export function followLog(primary: Primary, options: ViewFollowerOptions): ViewFollower {
  let applied = options.from;
  // the highest version a commit announced: what the next scheduled apply must reach
  let target = applied;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let failures = 0;
  let stopped = false;
  const waiters: { version: number; resolve(): void; reject(error: unknown): void }[] = [];

  const applyOnce = () => primary.write((tx) => applyLogPage(tx, options.batch), { weight: 0 });

  const settle = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter && waiter.version <= applied) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  };

  const run = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    // a stopped follower's writer is closing: an apply now would only fail and log
    if (stopped) return Promise.resolve();
    running ??= (async () => {
      try {
        for (;;) {
          const { watermark, head } = await applyOnce();
          applied = Math.max(applied, watermark);
          failures = 0;
          settle();
          if (watermark >= head) return;
        }
      } catch (error) {
        failures++;
        options.onError?.(error);
        const unavailable = new AppError(
          "unavailable",
          "the primary's views could not take the latest commits; retry later",
          { cause: error },
        );
        for (const waiter of waiters.splice(0)) waiter.reject(unavailable);
        if (!stopped) {
          timer = setTimeout(() => void run(), Math.min(5_000, 50 * 2 ** failures));
        }
      }
    })().finally(() => {
      running = null;
      // commits that came during the apply: the next one follows after `everyMs`
      if (!stopped && !timer && target > applied) {
        timer = setTimeout(followAnnounced, options.everyMs);
      }
    });
    return running;
  };

  // A read's fresh() may have applied everything announced since the timer was
  // set: then there is nothing to follow, and no empty write to queue.
  const followAnnounced = () => {
    timer = undefined;
    if (target > applied) void run();
  };

  return {
    committed(version) {
      target = Math.max(target, version);
      if (stopped || version <= applied || timer || running) return;
      timer = setTimeout(followAnnounced, options.everyMs);
    },
    async fresh() {
      if (stopped) throw shuttingDown();
      const head = await primary.events.head();
      if (head <= applied) return;
      // stopped while the head was read: nothing will apply for this waiter
      if (stopped) throw shuttingDown();
      target = Math.max(target, head);
      const done = new Promise<void>((resolve, reject) => {
        waiters.push({ version: head, resolve, reject });
      });
      // an apply already under way may have read the log before this commit: go again after it
      if (running) void running.then(() => (applied < head ? run() : undefined));
      else void run();
      return done;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      const closing = shuttingDown();
      for (const waiter of waiters.splice(0)) waiter.reject(closing);
    },
  };
}
