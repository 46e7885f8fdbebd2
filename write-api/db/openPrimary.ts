import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import {
  type SynchronousMode,
  type Writer,
  type WriteTransaction,
  writeTransactions,
} from "./writeTransactions.ts";

export type { SynchronousMode } from "./writeTransactions.ts";

export interface PrimaryConfig {
  /** `file:.data/primary.db` (embedded default), or a Turso/sqld `libsql://` / `http(s)://` URL */
  url: string;
  authToken?: string;
  /** SQLite `synchronous` for a local file; FULL makes every returned version survive power loss */
  synchronous?: SynchronousMode;
  /** how long one statement waits on a lock held by another process, ms */
  busyTimeoutMs?: number;
  /** told of every write transaction retried after SQLITE_BUSY (metrics, tests) */
  onBusyRetry?: (attempt: number) => void;
  /** the most writes one transaction commits together (group commit); default 64, 1 turns it off */
  maxGroupSize?: number;
  /** the most summed write weight (commands) in one group; default 1,000 */
  maxGroupWeight?: number;
  /** told the size of every group of writes that committed (metrics, tests) */
  onGroupCommitted?: (size: number) => void;
}

export interface Primary {
  /** drizzle over the read pool: never use it to write */
  readDb: ReturnType<typeof drizzle>;
  readClient: Client;
  /** the only way to write: serialized, grouped under one BEGIN IMMEDIATE, BUSY retried */
  write: WriteTransaction;
  close(): void;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

const isLocalFile = (url: string) => url.startsWith("file:");

/**
 * Opens the primary: applies the drizzle-kit migrations, then hands out a read
 * pool and a serialized writer. Writes get their own single-connection client
 * so the per-connection PRAGMAs (synchronous) are the ones every commit sees.
 *
 * @example
 * const primary = await openPrimary({ url: "file:.data/primary.db" });
 * await primary.write(async (tx) => tx.run(sql`…`));
 */
export async function openPrimary(config: PrimaryConfig): Promise<Primary> {
  const local = isLocalFile(config.url);
  if (local) {
    const path = config.url.slice("file:".length);
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const timeout = config.busyTimeoutMs ?? 5_000;
  const openWriter = (): Writer => {
    const client = createClient({
      url: config.url,
      authToken: config.authToken,
      concurrency: 1,
      timeout,
    });
    return { client, db: drizzle(client) };
  };
  const setup = openWriter();
  if (local) {
    // WAL lets readers (the read pool, /v1/events, the relay) run beside the writer.
    await setup.client.execute("PRAGMA journal_mode = WAL");
  }
  await migrate(setup.db, { migrationsFolder });
  setup.client.close();

  const readClient = createClient({ url: config.url, authToken: config.authToken, timeout });
  const synchronous = local ? (config.synchronous ?? "FULL") : undefined;
  const writer = writeTransactions(openWriter, {
    synchronous,
    onBusyRetry: config.onBusyRetry,
    maxGroupSize: config.maxGroupSize,
    maxGroupWeight: config.maxGroupWeight,
    onGroupCommitted: config.onGroupCommitted,
  });
  return {
    readDb: drizzle(readClient),
    readClient,
    write: writer.write,
    close() {
      writer.close();
      readClient.close();
    },
  };
}
