import type { Client } from "@libsql/client";
import { currentEventVersions } from "../../shared/events/eventVersions.ts";
import type { EventType, WireEvent } from "../../shared/events/types.ts";
import { upcastData } from "../../shared/events/upcasters.ts";

export interface EventPage {
  /** in the current shape whatever version they were stored with, tagged with it */
  events: WireEvent[];
  /** highest committed seq when the page was read */
  head: number;
}

/**
 * Reads a page of the log and the head in one read transaction, so `head` is
 * never behind the page. Only committed rows are visible to a reader, and seqs
 * are assigned in commit order, so a page never skips an uncommitted seq.
 * Every event is upcast here, the one place the write side reads the log
 * (`/v1/events`, the relay, the inline views' catch-up), so nothing past it
 * ever sees an old shape; a version newer than this code throws.
 */
export async function readEvents(client: Client, after: number, limit: number): Promise<EventPage> {
  const [rows, head] = await client.batch(
    [
      {
        sql: "SELECT seq, type, aggregate_id, data, schema_version, request_id, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        args: [after, limit],
      },
      "SELECT coalesce(max(seq), 0) AS head FROM events",
    ],
    "read",
  );
  const events = (rows?.rows ?? []).map((r) => {
    const seq = Number(r.seq);
    const type = String(r.type) as EventType;
    const event = {
      seq,
      type,
      aggregateId: String(r.aggregate_id),
      data: upcastData(type, Number(r.schema_version), JSON.parse(String(r.data)), seq),
      at: String(r.at),
      schemaVersion: currentEventVersions[type],
    } as WireEvent;
    if (r.request_id !== null && r.request_id !== undefined)
      event.meta = { requestId: String(r.request_id) };
    return event;
  });
  return { events, head: Number(head?.rows[0]?.head ?? 0) };
}
