import type { StoredEvent } from "../../shared/events/types.ts";

/** One page of the primary's log, as `GET /v1/events?after=N&limit=M` serves it. */
export interface EventPage {
  /** in seq order, all after `after`, at most `limit` */
  events: StoredEvent[];
  /** the primary's highest committed seq when the page was read */
  head: number;
}

/** Where a rebuild reads the log from: the primary over HTTP, or memory in tests. */
export interface EventSource {
  pull(after: number, limit: number): Promise<EventPage>;
}

/**
 * A log held in memory (events with seqs 1…n in order), for tests and tools.
 *
 * @example
 * const source = memoryEventSource(log.events);
 * await source.pull(0, 2); // → { events: [e1, e2], head: n }
 */
export function memoryEventSource(events: readonly StoredEvent[]): EventSource {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const head = sorted.at(-1)?.seq ?? 0;
  return {
    async pull(after, limit) {
      const start = sorted.findIndex((e) => e.seq > after);
      return { events: start < 0 ? [] : sorted.slice(start, start + limit), head };
    },
  };
}
