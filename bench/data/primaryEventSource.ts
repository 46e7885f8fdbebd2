import type { Client } from "@libsql/client";
import type { EventSource } from "../../shared/events/eventSource.ts";
import { readEvents } from "../../write-api/events/readEvents.ts";

/**
 * The primary's log read straight from its file, with the same query the
 * write API's `/v1/events` runs, so rebuild speed is the stores' and not HTTP's.
 */
export const primaryEventSource = (client: Client): EventSource => ({
  pull: (after, limit) => readEvents(client, after, limit),
});
