import { type EventSource, EventSourceError } from "../../shared/events/eventSource.ts";
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
    let applied = 0;
    let watermark = await deps.store.watermark();
    for (;;) {
      const page = await deps.source.pull(watermark, pageSize);
      deps.state.lastHeardAt = now();
      deps.state.knownHead = Math.max(deps.state.knownHead, page.head);
      if (page.events.length === 0) return { watermark, head: page.head, applied };
      const result = await deps.store.apply(page.events);
      if (result.status === "gap") {
        // the log itself has a hole: pulling again would spin on the same page
        const { from, to } = result.missing;
        throw new EventSourceError(`the primary's log is missing seq ${from} to ${to}`);
      }
      if (result.status === "applied") {
        applied += result.applied;
        deps.state.lastApplyAt = now();
        (deps.log ?? silentLogger).info("reader applied", {
          via: "catch-up",
          ...eventRangeFields(page.events, result.watermark - result.applied),
          watermark: result.watermark,
        });
      }
      // A concurrent apply (an ingest) may have moved the watermark: follow it.
      watermark = result.watermark;
      if (watermark >= page.head) return { watermark, head: page.head, applied };
    }
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
