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
 * How a view file commits and sorts. WAL without an fsync per commit
 * (`synchronous = NORMAL`): an apply still commits with its watermark or not
 * at all; a power loss can only take the last applies back, to an earlier
 * watermark, which the reader pulls from the log again as it would any missed
 * push. Views are a fold of the log, never its only copy: the primary's log
 * keeps FULL. A sort bigger than the page cache (an index build, a bulk load's
 * postings) spills to a temporary file, not to memory, where libsql's build
 * puts it by default: a 1,000,000-event bulk rebuild peaked at 530-600 MiB RSS
 * with it in memory, 430-510 MiB on file, at the same events/s.
 */
export const viewDbPragmas: readonly string[] = [
  "PRAGMA synchronous = NORMAL",
  "PRAGMA temp_store = FILE",
];

/**
 * Opens (creating if needed) a database for views on the runtime's fastest
 * binding (see `openSqlDatabase`), WAL for files so reads go on while a batch
 * applies, committed as `viewDbPragmas` says, the reads of an event-loop
 * turn in one snapshot (`drivers/turnSnapshots.ts`). The tables are a
 * store's business: each creates its namespace's on first use.
 *
 * @example
 * const db = await openViewDb(".data/replica.db");
 */
export async function openViewDb(target: string): Promise<SqlDatabase> {
  const url = viewDbUrl(target);
  if (url.startsWith("file:"))
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  return openSqlDatabase(url, { pragmas: viewDbPragmas, turnSnapshots: true });
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
