import type { StoredEvent } from "../../shared/events/types.ts";
import { applyEventsInTransaction, readViewWatermark } from "../../shared/views/sql/applyEvents.ts";
import { createSqlViewStore } from "../../shared/views/sql/sqlViewStore.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { Primary } from "../db/openPrimary.ts";
import type { Tx } from "../db/writeTransactions.ts";
import { readEvents } from "../events/readEvents.ts";

export interface InlineViews {
  /** the synchronous projection: runs inside the command's transaction */
  project(tx: Tx, events: StoredEvent[]): Promise<void>;
  /** the primary's read side over the same views, always as fresh as the last commit */
  store: ViewStore;
}

/**
 * The primary's inline views: the same projection and SQL store the replicas
 * use, kept in the primary's own file and updated in each command's
 * transaction, so `/v1/read/*` answers every read path from the primary.
 */
export function inlineViews(primary: Primary): InlineViews {
  return {
    async project(tx, events) {
      const result = await applyEventsInTransaction(tx, events);
      // The startup catch-up makes the views reach the head before any command runs.
      if (result.status === "gap") {
        throw new Error(`the inline views are behind the log (watermark ${result.watermark})`);
      }
    },
    store: createSqlViewStore(primary.readDb, { ensureSchema: false }),
  };
}

/**
 * Brings the inline views up to the log's head before the API takes writes:
 * after a view schema change reset them, or on a primary that predates them.
 * A table migration never triggers this, a view version change always does.
 */
export async function catchUpInlineViews(primary: Primary, pageSize = 1_000): Promise<number> {
  let applied = 0;
  for (;;) {
    const watermark = await readViewWatermark(primary.readDb);
    const page = await readEvents(primary.readClient, watermark, pageSize);
    if (page.events.length === 0) return applied;
    await primary.write((tx) => applyEventsInTransaction(tx, page.events));
    applied += page.events.length;
  }
}
