import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ViewStore } from "../../viewStore.ts";
import type { SqlDatabase } from "./connection.ts";
import { openSqlDatabase } from "./drivers/openSqlDatabase.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore, type SqlViewStoreOptions } from "./sqlViewStore.ts";
import { viewTables } from "./tables.ts";
import { writeTransaction } from "./transactions.ts";

/**
 * `file:` URL for a plain path; URLs and `:memory:` pass through.
 *
 * @example
 * viewDbUrl(".data/replica.db"); // → "file:.data/replica.db"
 */
export const viewDbUrl = (target: string) =>
  /^(file:|libsql:|https?:|wss?:)/.test(target) || target === ":memory:"
    ? target
    : `file:${target}`;

/**
 * How a view file commits and keeps its temporary data. WAL without an fsync
 * per commit (`synchronous = NORMAL`): an apply still commits with its
 * watermark or not at all; a power loss can only take the last applies back,
 * to an earlier watermark, which the reader pulls from the log again as it
 * would any missed push. Views are a fold of the log, never its only copy:
 * the primary's log keeps FULL. Temporary data in memory (`temp_store =
 * MEMORY`): an apply's multi-row statements each keep a statement journal, a
 * copy of every page they change, which past 64 KiB went to a temporary file,
 * a write of each page and its number: applying 21,865 `product.created` in
 * batches of 135 took 174-180 µs of system time an event that way, 127-128
 * this way (401-407 against 350-365 µs of CPU). A bulk load sorts more than
 * fits in memory and sets FILE for its own run (`bulkLoadSql`).
 */
export const viewDbPragmas: readonly string[] = [
  "PRAGMA synchronous = NORMAL",
  "PRAGMA temp_store = MEMORY",
];

/**
 * Opens (creating if needed) a database for views on the runtime's fastest
 * binding (see `openSqlDatabase`), WAL for files so reads go on while a batch
 * applies, committed as `viewDbPragmas` says, the reads of an event-loop
 * turn run together in one snapshot (`drivers/turnReads.ts`). The tables are a
 * store's business: each creates its namespace's on first use.
 *
 * @example
 * const db = await openViewDb(".data/replica.db");
 */
export async function openViewDb(target: string): Promise<SqlDatabase> {
  const url = viewDbUrl(target);
  if (url.startsWith("file:"))
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  return openSqlDatabase(url, { pragmas: viewDbPragmas, turnReads: true });
}

/**
 * A store in its own file (or `:memory:`), its namespace's tables created;
 * `close()` closes the database.
 *
 * @example
 * const store = await openSqlViewStore(".data/replica.db");
 * await store.apply(events);
 * await store.close();
 */
export async function openSqlViewStore(
  target: string,
  options: Omit<SqlViewStoreOptions, "ownsDatabase"> = {},
): Promise<ViewStore> {
  const db = await openViewDb(target);
  try {
    await writeTransaction(
      db,
      (tx) => ensureViewSchema(tx, viewTables(options.namespace)),
      options,
    );
  } catch (error) {
    db.close();
    throw error;
  }
  return createSqlViewStore(db, { ...options, ownsDatabase: true });
}
