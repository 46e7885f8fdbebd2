import type { StoredEvent } from "../events/types.ts";

/** How a log line names a run of events. */
export type EventRangeFields = {
  seqFrom: number;
  seqTo: number;
  events: number;
  /** the distinct write requests behind the events, in seq order */
  requestIds: string[];
};

/**
 * The seq range and request ids of a run of events, for the relay's and the
 * readers' log lines; with `after`, only events past that seq count (a batch
 * a reader had partly applied already).
 *
 * @example
 * eventRangeFields(batch); // → { seqFrom: 41, seqTo: 50, events: 10, requestIds: ["3f9c…"] }
 */
export function eventRangeFields(events: readonly StoredEvent[], after = 0): EventRangeFields {
  const counted = events.filter((e) => e.seq > after);
  const requestIds = new Set<string>();
  for (const e of counted) if (e.meta?.requestId) requestIds.add(e.meta.requestId);
  return {
    seqFrom: counted[0]?.seq ?? 0,
    seqTo: counted.at(-1)?.seq ?? 0,
    events: counted.length,
    requestIds: [...requestIds],
  };
}
