import { AppError } from "../../shared/errors/index.ts";
import type { EventPage, EventSource } from "../../shared/events/eventSource.ts";
import { readLogBatch } from "../../shared/events/logReader.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";

/** The primary's log as the views follow it (its `EventStore`): pages after a watermark, and the head. */
export interface FollowedLog {
  read(after: number, limit: number): Promise<EventPage>;
  head(): Promise<number>;
}

/** The log as a store's catch-up and builds pull it. */
export const logSource = (log: FollowedLog): EventSource => ({
  pull: (after, limit) => log.read(after, limit),
});

export interface ViewFollowerOptions {
  /** the views' watermark when following starts */
  from: number;
  /** how long the views may trail a commit when nothing reads them, ms */
  everyMs: number;
  /** the most events one apply takes */
  batch: number;
  /** told when an apply fails; the follower retries with backoff */
  onError?: (error: unknown) => void;
}

export interface ViewFollower {
  /** a commit appended events up to `version`: the views follow within `everyMs` */
  committed(version: number): void;
  /** resolves once the views hold every event committed before the call */
  fresh(): Promise<void>;
  /** refuses what waits and what comes; resolves once no apply runs */
  stop(): Promise<void>;
}

const shuttingDown = () =>
  new AppError("unavailable", "the write API is shutting down; retry later");

/**
 * Keeps the primary's views at the log's head, off the commands' path: each
 * apply folds every event committed since the views' watermark (at most
 * `batch`) in one transaction of the views' own database, through the one log
 * reader (`readLogBatch`, which names a hole's missing seqs), and is taken at
 * most every `everyMs` while writes flow, so a burst of commands pays the
 * projection's fixed costs (navigation, category stats, meta) once, not once
 * per command. A read that must be fresh calls `fresh()`, which applies at
 * once. The watermark is read from the store before each apply, so a switch
 * to a new generation is followed; a crash between a command's commit and
 * its apply is caught up at the next start.
 *
 * @example
 * const follower = followLog(primary.events, store, { from: 0, everyMs: 50, batch: 500 });
 * onCommitted = (version) => follower.committed(version);
 * await follower.fresh(); // the views hold every commit so far
 */
export function followLog(
  log: FollowedLog,
  store: ViewStore,
  options: ViewFollowerOptions,
): ViewFollower {
  let applied = options.from;
  // the highest version a commit announced: what the next scheduled apply must reach
  let target = applied;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let failures = 0;
  let stopped = false;
  const waiters: { version: number; resolve(): void; reject(error: unknown): void }[] = [];

  const source = logSource(log);
  const applyOnce = async () => {
    const watermark = await store.watermark();
    return readLogBatch(source, store, watermark, {
      pageSize: options.batch,
      target: `the inline views' watermark ${watermark}`,
    });
  };

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
    // a stopped follower's store is closing: an apply now would only fail and log
    if (stopped) return Promise.resolve();
    running ??= (async () => {
      try {
        for (;;) {
          const { watermark, head } = await applyOnce();
          applied = Math.max(applied, watermark);
          failures = 0;
          settle();
          if (watermark >= head || stopped) return;
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
  // set: then there is nothing to follow, and no empty apply to run.
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
      const head = await log.head();
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
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const closing = shuttingDown();
      for (const waiter of waiters.splice(0)) waiter.reject(closing);
      await running;
    },
  };
}
