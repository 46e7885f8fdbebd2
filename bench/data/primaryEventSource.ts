import type { EventSource } from "../../shared/events/eventSource.ts";
import { openLibsqlNative } from "../../shared/views/stores/sql/drivers/libsqlNative.ts";
import { eventStore } from "../../write-api/eventStore/eventStore.ts";

/**
 * The primary's log read straight from its file through the write API's own
 * event store (what `/v1/events` serves), so rebuild speed is the stores' and
 * not HTTP's.
 *
 * @example
 * const source = await primaryEventSource(".data/primary.db");
 */
export async function primaryEventSource(path: string): Promise<EventSource & { close(): void }> {
  // unmapped: it stands in for the HTTP pulls of a real rebuild, whose source is not in the process
  const db = await openLibsqlNative(`file:${path}`, { pragmas: ["PRAGMA mmap_size = 0"] });
  const log = eventStore(db.reader);
  return { pull: (after, limit) => log.read(after, limit), close: () => db.close() };
}
