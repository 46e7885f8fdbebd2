import type { StoredEvent } from "../../shared/events/types.ts";
import { eventRangeFields } from "../../shared/logging/eventFields.ts";
import { type Logger, silentLogger } from "../../shared/logging/logger.ts";
import type { SqlConnection } from "../../shared/views/stores/sql/connection.ts";
import type { WriteTransaction } from "../db/writeTransactions.ts";
import type { EventStore } from "../eventStore/eventStore.ts";
import { readPublished, storePublished } from "../eventStore/publishedWatermark.ts";
import { deduplicationId, type RelayLimits, takeBatch } from "./relayBatch.ts";

/** The one thing the relay needs from QStash: publish a JSON batch to the readers' URL group. */
export type PublishBatch = (message: { body: string; deduplicationId: string }) => Promise<void>;

export interface RelayDeps {
  log: EventStore;
  /** where the published watermark was last stored, read once at start */
  reads: SqlConnection;
  write: WriteTransaction;
  publish: PublishBatch;
  limits: RelayLimits;
  /**
   * Messages handed to QStash past the published watermark at once: those
   * waiting on its answer and those it accepted behind one it has not yet.
   * More than one lets a commit go out while the message before it is still
   * being accepted; deliveries may then reach a reader out of order, which it
   * repairs from the log as for any reordering. Default 4; 1 publishes
   * strictly one after another.
   */
  maxInFlight?: number;
  /** the slow backstop: publish whatever a missed wake left behind */
  backstopIntervalMs: number;
  /**
   * How long the published watermark may stay only in memory when no command
   * carries it to disk; a restart re-publishes at most that much (readers
   * acknowledge duplicates). Default 1,000 ms.
   */
  storeWithinMs?: number;
  report?: (event: { msg: string; [k: string]: unknown }) => void;
  /** told of every message: published (with its event count) or failed */
  onBatch?: (outcome: "published" | "failed", events: number) => void;
  /** one "relay published" line per message: seq range, request ids, how long QStash took to accept it */
  logger?: Logger;
}

/** A message handed to QStash: the last seq it carries, and whether QStash accepted it. */
interface InFlight {
  last: number;
  accepted: boolean;
  /** resolves once QStash answered, either way */
  settled: Promise<void>;
}

export interface Relay {
  /** called after each commit: publishes now, coalescing bursts into one round */
  wake(): void;
  /** resolves when everything committed before the call has been published; throws past the deadline */
  drain(deadlineMs?: number): Promise<void>;
  /** the highest seq QStash has accepted */
  published(): number;
  /** stops publishing and stores the watermark, so a graceful restart re-publishes nothing */
  stop(): Promise<void>;
}

/**
 * The outbox relay: reads committed, unpublished events and publishes them in
 * bounded batches. The published watermark moves in memory once QStash
 * accepted a message and reaches the primary in the next write transaction
 * that commands start anyway (a lazy write), so publishing never queues a
 * serialized write of its own behind commands. It is only ever stored after
 * QStash accepted, so a crash re-publishes rather than loses.
 *
 * @example
 * const relay = await createRelay({ log, reads, write, publish, limits, backstopIntervalMs: 5_000 });
 * onCommitted = () => relay.wake();
 */
export async function createRelay(deps: RelayDeps): Promise<Relay> {
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let published = await readPublished(deps.reads);
  let stored = published;
  let storing = false;
  const maxInFlight = deps.maxInFlight ?? 4;
  // commits seen, and the way to wake a round waiting on QStash's answers
  let wakes = 0;
  let wakeRound = () => {};
  // The log's head at the last read and the wakes counted before it: every
  // commit wakes the relay after it commits, so with no wake since, the log
  // holds nothing past that head and reading it again would find nothing.
  let readAtWakes = -1;
  let headAtRead = 0;
  const logger = deps.logger ?? silentLogger;
  const report =
    deps.report ??
    (deps.logger
      ? ({ msg, ...fields }: { msg: string; [k: string]: unknown }) => logger.warn(msg, fields)
      : (e: { msg: string }) => console.log(JSON.stringify(e)));

  // One lazy write in the writer's queue at a time; it stores whatever the
  // watermark is when its group runs.
  const store = () => {
    if (storing || stored >= published) return;
    storing = true;
    deps
      .write(
        async (tx) => {
          const seq = published;
          await storePublished(tx, seq);
          return seq;
        },
        { weight: 0, lazyMs: deps.storeWithinMs ?? 1_000 },
      )
      .then(
        (seq) => {
          stored = Math.max(stored, seq);
          storing = false;
          store();
        },
        (error: unknown) => {
          // the next publish tries again; a restart meanwhile re-publishes from `stored`
          storing = false;
          report({ msg: "relay watermark not stored", error: String(error) });
        },
      );
  };

  /** One message to QStash; resolves once QStash accepted it. */
  const publishOne = async (batch: readonly StoredEvent[]): Promise<void> => {
    const started = performance.now();
    try {
      await deps.publish({
        body: JSON.stringify({ events: batch }),
        deduplicationId: deduplicationId(batch),
      });
    } catch (error) {
      deps.onBatch?.("failed", batch.length);
      throw error;
    }
    deps.onBatch?.("published", batch.length);
    logger.info("relay published", {
      ...eventRangeFields(batch),
      publishMs: Math.round((performance.now() - started) * 10) / 10,
    });
  };

  // Up to `maxInFlight` messages past the watermark at once, so a commit is
  // published at once instead of behind the answer to the message before.
  // The watermark only moves over a run of accepted messages from its start;
  // a failure stops new messages and the round ends once the others settle.
  const round = async (): Promise<void> => {
    let sent = published;
    let failure: { error: unknown } | undefined;
    const open: InFlight[] = [];
    const settle = () => {
      while (open[0]?.accepted) published = Math.max(published, open.shift()?.last ?? published);
      store();
    };
    for (;;) {
      const waitingOn = open.filter((m) => !m.accepted);
      if (failure) {
        await Promise.all(waitingOn.map((m) => m.settled));
        throw failure.error;
      }
      // counted from the watermark: a message QStash keeps waiting holds back those after it
      const room = open.length < maxInFlight;
      const wakesBefore = wakes;
      const unread = wakesBefore !== readAtWakes || sent < headAtRead;
      const page = room && unread ? await deps.log.read(sent, deps.limits.maxEvents) : undefined;
      if (page) {
        readAtWakes = wakesBefore;
        headAtRead = page.head;
      }
      if (page && page.events.length > 0) {
        const batch = takeBatch(page.events, deps.limits);
        sent = batch.at(-1)?.seq ?? sent;
        const message: InFlight = { last: sent, accepted: false, settled: Promise.resolve() };
        message.settled = publishOne(batch).then(
          () => {
            message.accepted = true;
            settle();
          },
          (error: unknown) => {
            failure ??= { error };
          },
        );
        open.push(message);
        continue;
      }
      if (waitingOn.length === 0) return;
      // a commit woke us while the log was read: read again rather than wait
      if (room && wakes !== wakesBefore) continue;
      await Promise.race([
        ...waitingOn.map((m) => m.settled),
        ...(room ? [new Promise<void>((wake) => (wakeRound = wake))] : []),
      ]);
    }
  };

  const run = (): Promise<void> => {
    wakes++;
    if (running) {
      again = true;
      wakeRound();
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again);
    })()
      .then(() => {
        failures = 0;
      })
      .catch((error: unknown) => {
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        report({ msg: "relay publish failed", error: String(error), retryInMs: delay });
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void run(), delay);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const backstop = setInterval(() => void run(), deps.backstopIntervalMs);
  return {
    wake: () => void run(),
    async drain(deadlineMs = 30_000) {
      const until = Date.now() + deadlineMs;
      const target = await deps.log.head();
      while (published < target) {
        if (Date.now() > until) {
          throw new Error(`the relay did not publish up to ${target} within ${deadlineMs} ms`);
        }
        await run();
        // a failed round resolves at once and retries on its own timer: do not spin
        if (published < target) await new Promise((r) => setTimeout(r, 20));
      }
    },
    published: () => published,
    async stop() {
      clearInterval(backstop);
      clearTimeout(retryTimer);
      await running;
      if (stored < published) await deps.write((tx) => storePublished(tx, published));
    },
  };
}
