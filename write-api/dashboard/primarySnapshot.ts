import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { EventStore } from "../eventStore/eventStore.ts";
import type { PrimaryStatus } from "./dashboardView.ts";

export interface PrimarySnapshot {
  /** `fresh`: the digest computed from every record instead of the kept one */
  status(options?: { fresh?: boolean }): Promise<PrimaryStatus>;
  /** commit time (epoch ms) of each seq asked for that is in the log */
  commitTimes(seqs: readonly number[]): Promise<Map<number, number>>;
}

/**
 * The primary's side of the dashboard and of `GET /v1/status`, read
 * in-process: where the log, the relay and the inline views stand, and the
 * commit times that turn a lag in events into one in milliseconds.
 *
 * @example
 * const snapshot = primarySnapshot({ log: primary.events, published, views: views.store });
 * await snapshot.status(); // → { head: 42, published: 42, watermark: 42, digest: "9f…" }
 */
export function primarySnapshot(deps: {
  log: EventStore;
  published: () => Promise<number>;
  views: ViewStore;
}): PrimarySnapshot {
  return {
    async status(options = {}) {
      // published first: the head only grows, so it is never seen behind it
      const published = await deps.published();
      const head = await deps.log.head();
      const { watermark, digest } = await deps.views.digest(options);
      return { head, published, watermark, digest };
    },
    commitTimes: (seqs) => deps.log.committedAt(seqs),
  };
}
