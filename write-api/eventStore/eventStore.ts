import { currentEventVersions } from "../../shared/events/eventVersions.ts";
import type {
  EventMeta,
  EventType,
  NewEvent,
  StoredEvent,
  WireEvent,
} from "../../shared/events/types.ts";
import { upcastData } from "../../shared/events/upcasters.ts";
import type { SqlConnection, SqlValue } from "../../shared/views/stores/sql/connection.ts";

export interface EventPage {
  /** in the current shape whatever version they were stored with, tagged with it */
  events: WireEvent[];
  /** highest committed seq when the page was read */
  head: number;
}

/**
 * The primary's log, in the manner of Emmett's event store: the one module
 * that writes or reads SQL against `events`. Commands append inside their
 * own write transaction; `/v1/events`, the relay, the inline views' catch-up
 * and the tools read pages and the head.
 */
export interface EventStore {
  /** gives the events the next seqs and appends them inside the caller's write transaction */
  append(
    tx: SqlConnection,
    events: NewEvent[],
    at: string,
    meta?: EventMeta,
  ): Promise<StoredEvent[]>;
  /** a page after `after` and the head, from one snapshot, every event upcast */
  read(after: number, limit: number): Promise<EventPage>;
  /** the highest committed seq */
  head(): Promise<number>;
  /** when each of these seqs committed (epoch ms), for those in the log */
  committedAt(seqs: readonly number[]): Promise<Map<number, number>>;
}

/** One `events` row: the columns as the primary stores them (what a log export holds). */
export interface EventRow {
  seq: number;
  type: string;
  aggregate_id: string;
  data: string;
  schema_version: number;
  at: string;
  request_id?: string | null;
}

// AUTOINCREMENT: SQLite takes the next seq after the highest ever used (sqlite_sequence), even
// if rows were removed, so a seq is never handed out twice; a rolled-back insert gives its back.
const insertEvent =
  "INSERT INTO events (type, aggregate_id, data, schema_version, at, request_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq";
const restoreEvent =
  "INSERT INTO events (seq, type, aggregate_id, data, schema_version, at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
const pageAfter =
  "SELECT seq, type, aggregate_id, data, schema_version, request_id, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?";
const headSeq = "SELECT coalesce(max(seq), 0) AS head FROM events";
// one statement whatever the number of seqs, so the prepared one is reused
const commitTimes = "SELECT seq, at FROM events WHERE seq IN (SELECT value FROM json_each(?))";

/**
 * Every event is upcast here, the one place the write side reads the log, so
 * nothing past it ever sees an old shape; a version newer than this code throws.
 */
function wireEvent(
  seqColumn: unknown,
  typeColumn: unknown,
  aggregateId: unknown,
  data: unknown,
  schemaVersion: unknown,
  requestId: unknown,
  at: unknown,
): WireEvent {
  const seq = Number(seqColumn);
  const type = typeColumn as EventType;
  const event = {
    seq,
    type,
    aggregateId: String(aggregateId),
    data: upcastData(type, Number(schemaVersion), JSON.parse(String(data)), seq),
    at: String(at),
    schemaVersion: currentEventVersions[type],
  } as WireEvent;
  if (requestId !== null && requestId !== undefined) {
    event.meta = { requestId: String(requestId) };
  }
  return event;
}

const ofRow = (r: EventRow) =>
  wireEvent(r.seq, r.type, r.aggregate_id, r.data, r.schema_version, r.request_id, r.at);
// in `pageAfter`'s column order
const ofColumns = (c: SqlValue[]) => wireEvent(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);

/** A page of the log as events, as arrays where the binding hands rows over faster so. */
async function pageOf(s: SqlConnection, after: number, limit: number): Promise<WireEvent[]> {
  if (s.values) return (await s.values(pageAfter, [after, limit])).map(ofColumns);
  return (await s.all<EventRow & Record<string, unknown>>(pageAfter, [after, limit])).map(ofRow);
}

/**
 * Appends with the next seqs. This runs inside the serialized write
 * transaction, so seqs are gap-free, strictly increasing and in commit order:
 * a reader can never see N+1 before N is committed. Every event is written in
 * its type's current schema version, with the request's metadata beside it.
 */
export async function appendEvents(
  tx: SqlConnection,
  newEvents: NewEvent[],
  at: string,
  meta: EventMeta = {},
): Promise<StoredEvent[]> {
  if (newEvents.length === 0) return [];
  const requestId = meta.requestId ?? null;
  const stored: StoredEvent[] = [];
  for (const e of newEvents) {
    const row = await tx.first<{ seq: number }>(insertEvent, [
      e.type,
      e.aggregateId,
      JSON.stringify(e.data),
      currentEventVersions[e.type],
      at,
      requestId,
    ]);
    if (!row) throw new Error(`appending ${e.type} returned no seq`);
    stored.push({ ...e, seq: Number(row.seq), at, ...(meta.requestId && { meta }) } as StoredEvent);
  }
  return stored;
}

/**
 * Puts exported rows back as they were stored, old schema versions included:
 * for fixtures of an old log, never for commands (they `append`).
 */
export async function restoreEvents(tx: SqlConnection, rows: readonly EventRow[]): Promise<void> {
  for (const r of rows) {
    await tx.run(restoreEvent, [
      r.seq,
      r.type,
      r.aggregate_id,
      r.data,
      r.schema_version,
      r.at,
      r.request_id ?? null,
    ]);
  }
}

/**
 * The log over a read connection of the primary. Only committed rows are
 * visible to it, and seqs are assigned in commit order, so a page never skips
 * an uncommitted seq.
 *
 * @example
 * const log = eventStore(primary.reads.reader);
 * const { events, head } = await log.read(watermark, 1_000);
 */
export function eventStore(reads: SqlConnection): EventStore {
  return {
    append: appendEvents,
    read: (after, limit) =>
      reads.snapshot(async (s) => {
        const events = await pageOf(s, after, limit);
        const head = await s.first<{ head: number }>(headSeq);
        return { events, head: Number(head?.head ?? 0) };
      }),
    head: async () => Number((await reads.first<{ head: number }>(headSeq))?.head ?? 0),
    async committedAt(seqs) {
      const times = new Map<number, number>();
      if (seqs.length === 0) return times;
      const rows = await reads.all<{ seq: number; at: string }>(commitTimes, [
        JSON.stringify(seqs),
      ]);
      for (const r of rows) {
        const at = Date.parse(r.at);
        if (Number.isFinite(at)) times.set(Number(r.seq), at);
      }
      return times;
    },
  };
}
