import type { StoredEvent } from "../../shared/events/types.ts";

export interface RelayLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Cuts the next message off a run of unpublished events: at most `maxEvents`
 * and `maxBytes` of JSON (QStash caps a message's size), and at least one
 * event so an oversized single event still moves rather than blocking the log.
 */
export function takeBatch(events: readonly StoredEvent[], limits: RelayLimits): StoredEvent[] {
  const batch: StoredEvent[] = [];
  let bytes = '{"events":[]}'.length;
  for (const event of events) {
    const size = new TextEncoder().encode(JSON.stringify(event)).byteLength + 1;
    if (batch.length > 0 && (batch.length >= limits.maxEvents || bytes + size > limits.maxBytes))
      break;
    batch.push(event);
    bytes += size;
  }
  return batch;
}

/**
 * QStash keeps deduplication ids for days, so an id must name exactly what the
 * message holds: a re-publish of the same range is dropped, a different range
 * (after a crash cut batches differently) is not.
 */
export const deduplicationId = (batch: readonly StoredEvent[]): string =>
  `events-${batch[0]?.seq ?? 0}-${batch.at(-1)?.seq ?? 0}`;
