import type { EventSource } from "../../shared/events/eventSource.ts";
import { readLogToHead } from "../../shared/events/logReader.ts";
import { eventRangeFields } from "../../shared/logging/eventFields.ts";
import { type Logger, silentLogger } from "../../shared/logging/logger.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderState } from "./readerState.ts";

export interface CatchUpResult {
  watermark: number;
  head: number;
  applied: number;
}

export interface CatchUp {
  /**
   * Pulls and applies everything after the watermark up to the primary's head.
   * Concurrent callers share one run: a burst of gap pushes causes one pull.
   */
  run(): Promise<CatchUpResult>;
}

/**
 * Catch-up from the primary's log: the gap fill of an ingest, the periodic
 * reconcile and a read-your-writes wait all use it.
 *
 * @example
 * const catchUp = createCatchUp({ store, source, state, pageSize: 500 });
 * await catchUp.run(); // → { watermark: 812, head: 812, applied: 12 }
 */
export function createCatchUp(deps: {
  store: ViewStore;
  source: EventSource;
  state: ReaderState;
  pageSize?: number;
  now?: () => number;
  /** one "reader applied" line per applied page */
  log?: Logger;
}): CatchUp {
  const pageSize = deps.pageSize ?? 500;
  const now = deps.now ?? Date.now;
  let inFlight: Promise<CatchUpResult> | null = null;

  const pullAll = async (): Promise<CatchUpResult> => {
    const watermark = await deps.store.watermark();
    return readLogToHead(deps.source, deps.store, watermark, {
      pageSize,
      target: "this replica's watermark",
      onPage(page) {
        deps.state.lastHeardAt = now();
        deps.state.knownHead = Math.max(deps.state.knownHead, page.head);
      },
      onBatch(batch) {
        if (batch.applied === 0) return;
        deps.state.lastApplyAt = now();
        (deps.log ?? silentLogger).info("reader applied", {
          via: "catch-up",
          ...eventRangeFields(batch.events, batch.watermark - batch.applied),
          watermark: batch.watermark,
        });
      },
    });
  };

  return {
    run() {
      inFlight ??= pullAll().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
