import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { ViewStore } from "../viewStore.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore, type SqlViewStoreOptions } from "./sqlViewStore.ts";
import type { ViewDb } from "./tables.ts";

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
 * Opens (creating if needed) a libSQL database for views: WAL for files, so
 * reads go on while a batch applies, and the view tables in place.
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
    const db = drizzle(client);
    await ensureViewSchema(db);
    return db;
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * An edge replica's embedded store in its own file (or `:memory:`); `close()`
 * closes the client.
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
  return createSqlViewStore(await openViewDb(target), { ...options, ownsClient: true });
}
