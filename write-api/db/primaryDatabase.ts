import { createClient } from "@libsql/client";
import type { SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { libsqlClientDatabase } from "../../shared/views/stores/sql/drivers/libsqlClient.ts";
import type { SynchronousMode } from "./writeTransactions.ts";

export interface PrimaryDatabaseOptions {
  authToken?: string;
  /** applied to a local file's write connection; a remote server keeps its own */
  synchronous: SynchronousMode;
  /** how long a remote or `@libsql/client` statement waits on a lock, ms */
  busyTimeoutMs: number;
}

declare const Bun: unknown;
declare const Deno: unknown;

/**
 * The primary's write connection, always libSQL. On Node a local file runs on
 * the `libsql` package's synchronous API (the engine `@libsql/client` wraps),
 * where a prepared statement costs microseconds: a command runs about ten of
 * them (decision reads, the event, the tables) and an inline views' apply a
 * dozen more a batch. Remote URLs
 * (Turso, sqld) and the Bun and Deno write APIs keep `@libsql/client`.
 *
 * @example
 * const db = await openPrimaryDatabase("file:.data/primary.db", { synchronous: "FULL", busyTimeoutMs: 5_000 });
 */
export async function openPrimaryDatabase(
  url: string,
  options: PrimaryDatabaseOptions,
): Promise<SqlDatabase> {
  const local = url.startsWith("file:");
  const synchronous = `PRAGMA synchronous = ${options.synchronous}`;
  if (local && typeof Bun === "undefined" && typeof Deno === "undefined") {
    const { openLibsqlNative } = await import(
      "../../shared/views/stores/sql/drivers/libsqlNative.ts"
    );
    return openLibsqlNative(url, { pragmas: [synchronous] });
  }
  const client = createClient({
    url,
    authToken: options.authToken,
    concurrency: 1,
    timeout: options.busyTimeoutMs,
  });
  return libsqlClientDatabase(client, { beforeWrite: local ? [synchronous] : [] });
}
