import type { EventSource } from "../../shared/events/eventSource.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import {
  applyEventsInTransaction,
  readViewWatermark,
} from "../../shared/views/stores/sql/applyEvents.ts";
import type { SqlConnection, SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import {
  activeNamespaceIn,
  sqlViewNamespaces,
} from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion, viewTables } from "../../shared/views/stores/sql/tables.ts";
import type { Primary } from "../db/openPrimary.ts";
import type { Tx } from "../db/writeTransactions.ts";

export interface InlineViews {
  /** the synchronous projection: runs inside the command's transaction */
  project(tx: Tx, events: StoredEvent[]): Promise<void>;
  /** the primary's read side over the same views, always as fresh as the last commit */
  store: GenerationalStore;
}

/**
 * Applies a command's events to the live namespace inside the command's own
 * transaction. The namespace is read inside `tx` too: a switch is a write
 * transaction on the same writer, so a command sees the registry either
 * before or after it, never a half.
 *
 * @example
 * await commitCommands({ write: primary.write, project: projectInline, … }, request);
 */
export async function projectInline(tx: Tx, events: StoredEvent[]): Promise<void> {
  const active = await activeNamespaceIn(tx);
  if (!active) throw new Error("the inline views are not set up: call openInlineViews first");
  const result = await applyEventsInTransaction(tx, events, viewTables(active.namespace));
  // The start-up catch-up makes the views reach the head before any command runs.
  if (result.status === "gap") {
    throw new Error(`the inline views are behind the log (watermark ${result.watermark})`);
  }
}

/** The primary's own log, as a reader's `/v1/events` pull would see it. */
export const primaryLog = (primary: Primary): EventSource => ({
  pull: (after, limit) => primary.events.read(after, limit),
});

/**
 * Brings the live namespace up to the log's head before the API takes writes
 * (a primary that predates its views, or one whose last build switched while
 * it was behind). A table migration never triggers a rebuild.
 */
export async function catchUpInlineViews(primary: Primary, pageSize = 1_000): Promise<number> {
  const db = primaryViewDb(primary);
  const active = await activeNamespaceIn(db.reader);
  if (!active) throw new Error("the inline views are not set up: call openInlineViews first");
  const tables = viewTables(active.namespace);
  let applied = 0;
  for (;;) {
    const watermark = await readViewWatermark(db.reader, tables);
    const page = await primary.events.read(watermark, pageSize);
    if (page.events.length === 0) return applied;
    const result = await primary.write((tx) => applyEventsInTransaction(tx, page.events, tables));
    // A page that does not follow the watermark is a hole in the log: reading again finds it again.
    if (result.status === "gap") {
      throw new Error(
        `the primary's log has a hole: seqs ${result.missing.from}-${result.missing.to} are missing after the inline views' watermark ${result.watermark}`,
      );
    }
    applied += page.events.length;
  }
}

/**
 * The primary's database as the view store sees it: reads on the primary's
 * read pool, writes only through its serialized writer (so a view build
 * never contends with commands for SQLite's lock).
 */
const primaryViewDb = (primary: Primary): SqlDatabase => ({ ...primary.reads, close() {} });

/** Runs `fn` in the primary's next write transaction, as the view store's connection. */
const primaryWriter =
  (primary: Primary) =>
  <T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> =>
    primary.write(fn);

/**
 * The primary's inline views: the same projection and SQL store the replicas
 * use, in the primary's own file, updated in each command's transaction, so
 * `/v1/read/*` answers every read path from the primary. They are
 * generational like a replica's: a new read model version is built from the
 * primary's own log beside the live views (`store.buildStep`, run in the
 * background through the same serialized writer as commands) and switched to
 * atomically; the views never need a drizzle-kit migration, nor the reverse.
 *
 * @example
 * const views = await openInlineViews(primary);
 * const app = createWriteApi({ primary, views, … });
 */
export async function openInlineViews(primary: Primary, pageSize = 1_000): Promise<InlineViews> {
  const store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(primaryViewDb(primary), { write: primaryWriter(primary) }),
    log: primaryLog(primary),
    versions: readModelVersions,
    layout: viewSchemaVersion,
    pageSize,
    // each build apply holds the writer commands wait for: keep it to a few hundred ms
    applyBatch: 2_000,
  });
  await catchUpInlineViews(primary, pageSize);
  return { project: projectInline, store };
}
