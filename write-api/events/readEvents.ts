import type { Client } from "@libsql/client";
import type { StoredEvent } from "../../shared/events/types.ts";

export interface EventPage {
  events: StoredEvent[];
  /** highest committed seq when the page was read */
  head: number;
}

/**
 * Reads a page of the log and the head in one read transaction, so `head` is
 * never behind the page. Only committed rows are visible to a reader, and seqs
 * are assigned in commit order, so a page never skips an uncommitted seq.
 */
export async function readEvents(client: Client, after: number, limit: number): Promise<EventPage> {
  const [rows, head] = await client.batch(
    [
      {
        sql: "SELECT seq, type, aggregate_id, data, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        args: [after, limit],
      },
      "SELECT coalesce(max(seq), 0) AS head FROM events",
    ],
    "read",
  );
  const events = (rows?.rows ?? []).map(
    (r) =>
      ({
        seq: Number(r.seq),
        type: String(r.type),
        aggregateId: String(r.aggregate_id),
        data: JSON.parse(String(r.data)),
        at: String(r.at),
      }) as StoredEvent,
  );
  return { events, head: Number(head?.rows[0]?.head ?? 0) };
}
