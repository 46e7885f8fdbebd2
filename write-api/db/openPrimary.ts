import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { type EventStore, eventStore } from "../eventStore/eventStore.ts";
import { openPrimaryDatabase } from "./primaryDatabase.ts";
import {
  type SynchronousMode,
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
  /** how long a write waits for a lock held by another process before it answers 503, ms */
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
  /** the primary on the writer's binding, for reads (the log, the inline views, tests): never write through it */
  reads: SqlDatabase;
  /** the log: append inside `write`, read pages and the head */
  events: EventStore;
  /** the only way to write: serialized, grouped under one BEGIN IMMEDIATE, BUSY retried */
  write: WriteTransaction;
  close(): void;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

const isLocalFile = (url: string) => url.startsWith("file:");

/**
 * Opens the primary: applies the drizzle-kit migrations, then hands out read
 * connections and a serialized writer. The writer is one connection of its own, so
 * the per-connection PRAGMAs (synchronous) are the ones every commit sees, on
 * the fastest libSQL binding for the URL (see `openPrimaryDatabase`).
 *
 * @example
 * const primary = await openPrimary({ url: "file:.data/primary.db" });
 * await primary.write((tx) => tx.run("INSERT INTO meta (key, value) VALUES (?, ?)", ["k", 1]));
 */
export async function openPrimary(config: PrimaryConfig): Promise<Primary> {
  const local = isLocalFile(config.url);
  if (local) {
    const path = config.url.slice("file:".length);
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const timeout = config.busyTimeoutMs ?? 5_000;
  const setup = createClient({ url: config.url, authToken: config.authToken, timeout });
  try {
    if (local) {
      // WAL lets readers (/v1/events, the relay, the inline views' reads) run beside the writer.
      await setup.execute("PRAGMA journal_mode = WAL");
    }
    await migrate(drizzle(setup), { migrationsFolder });
  } finally {
    setup.close();
  }

  const openWriter = () =>
    openPrimaryDatabase(config.url, {
      authToken: config.authToken,
      synchronous: config.synchronous ?? "FULL",
      busyTimeoutMs: timeout,
    });
  const writer = writeTransactions(
    openWriter,
    {
      busyTimeoutMs: timeout,
      onBusyRetry: config.onBusyRetry,
      maxGroupSize: config.maxGroupSize,
      maxGroupWeight: config.maxGroupWeight,
      onGroupCommitted: config.onGroupCommitted,
    },
    await openWriter(),
  );
  const reads = await openWriter();
  return {
    reads,
    events: eventStore(reads.reader),
    write: writer.write,
    close() {
      writer.close();
      reads.close();
    },
  };
}
