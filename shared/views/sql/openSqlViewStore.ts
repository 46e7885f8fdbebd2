import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { ViewStore } from "../viewStore.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore, type SqlViewStoreOptions } from "./sqlViewStore.ts";
import { type ViewDb, viewTables } from "./tables.ts";

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
 * Opens (creating if needed) a libSQL database for views, WAL for files so
 * reads go on while a batch applies. The tables are a store's business: each
 * creates its namespace's on first use.
 *
 * @example
 * const db = await openViewDb(".data/replica.db");
 */
export async function openViewDb(target: string): Promise<ViewDb> {
  const url = viewDbUrl(target);
  if (url.startsWith("file:"))
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  const client = createClient({ url });
  try {
    if (url.startsWith("file:")) await client.execute("PRAGMA journal_mode = WAL");
    return drizzle(client);
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * A store in its own file (or `:memory:`), its namespace's tables created;
 * `close()` closes the client.
 *
 * @example
 * const store = await openSqlViewStore(".data/replica.db");
 * await store.apply(events);
 * await store.close();
 */
export async function openSqlViewStore(
  target: string,
  options: Omit<SqlViewStoreOptions, "ownsClient"> = {},
): Promise<ViewStore> {
  const db = await openViewDb(target);
  try {
    await ensureViewSchema(db, viewTables(options.namespace));
  } catch (error) {
    db.$client.close();
    throw error;
  }
  return createSqlViewStore(db, { ...options, ownsClient: true });
}
