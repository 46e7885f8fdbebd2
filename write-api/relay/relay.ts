import type { Client as LibsqlClient } from "@libsql/client";
import { eventRangeFields } from "../../shared/logging/eventFields.ts";
import { type Logger, silentLogger } from "../../shared/logging/logger.ts";
import type { WriteTransaction } from "../db/writeTransactions.ts";
import { readEvents } from "../events/readEvents.ts";
import { advancePublished, readPublished } from "./publishedWatermark.ts";
import { deduplicationId, type RelayLimits, takeBatch } from "./relayBatch.ts";

/** The one thing the relay needs from QStash: publish a JSON batch to the readers' URL group. */
export type PublishBatch = (message: { body: string; deduplicationId: string }) => Promise<void>;

export interface RelayDeps {
  readClient: LibsqlClient;
  write: WriteTransaction;
  publish: PublishBatch;
  limits: RelayLimits;
  /** the slow backstop: publish whatever a missed wake left behind */
  backstopIntervalMs: number;
  report?: (event: { msg: string; [k: string]: unknown }) => void;
  /** told of every message: published (with its event count) or failed */
  onBatch?: (outcome: "published" | "failed", events: number) => void;
  /** one "relay published" line per message: seq range and request ids */
  log?: Logger;
}

export interface Relay {
  /** called after each commit: publishes soon, coalescing bursts into one round */
  wake(): void;
  /** resolves when everything committed before the call has been published; throws past the deadline */
  drain(deadlineMs?: number): Promise<void>;
  published(): Promise<number>;
  stop(): void;
}

/**
 * The outbox relay: reads committed, unpublished events and publishes them in
 * bounded batches; the published watermark advances only after QStash
 * accepted a message, so a crash re-publishes rather than loses.
 *
 * @example
 * const relay = createRelay({ readClient, write, publish, limits, backstopIntervalMs: 5_000 });
 * onCommitted = () => relay.wake();
 */
export function createRelay(deps: RelayDeps): Relay {
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const log = deps.log ?? silentLogger;
  const report =
    deps.report ??
    (deps.log
      ? ({ msg, ...fields }: { msg: string; [k: string]: unknown }) => log.warn(msg, fields)
      : (e: { msg: string }) => console.log(JSON.stringify(e)));

  const round = async (): Promise<void> => {
    let published = await readPublished(deps.readClient);
    for (;;) {
      const page = await readEvents(deps.readClient, published, deps.limits.maxEvents);
      if (page.events.length === 0) return;
      const batch = takeBatch(page.events, deps.limits);
      const last = batch.at(-1)?.seq ?? published;
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
      log.info("relay published", eventRangeFields(batch));
      await advancePublished(deps.write, last);
      published = last;
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
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
      const head = await deps.readClient.execute(
        "SELECT coalesce(max(seq), 0) AS head FROM events",
      );
      const target = Number(head.rows[0]?.head ?? 0);
      while ((await readPublished(deps.readClient)) < target) {
        if (Date.now() > until) {
          throw new Error(`the relay did not publish up to ${target} within ${deadlineMs} ms`);
        }
        await run();
        // a failed round resolves at once and retries on its own timer: do not spin
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    published: () => readPublished(deps.readClient),
    stop() {
      clearInterval(backstop);
      clearTimeout(retryTimer);
    },
  };
}
