import { createClient } from "@libsql/client";
import type { SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { libsqlClientDatabase } from "../../shared/views/stores/sql/drivers/libsqlClient.ts";
import type { SynchronousMode } from "./writeTransactions.ts";

export interface PrimaryDatabaseOptions {
  authToken?: string;
  /** applied to every connection to a local file; a remote server keeps its own */
  synchronous: SynchronousMode;
  /** how long a remote or `@libsql/client` statement waits on a lock, ms */
  busyTimeoutMs: number;
}

/**
 * The primary's write connection, always libSQL. A local file runs on the
 * `libsql` package's synchronous API (the engine `@libsql/client` wraps), on
 * Node, Bun and Deno alike (all three load its Node-API addon), where a
 * prepared statement costs microseconds: a command runs about ten of them
 * (decision reads, the event, the tables) and an inline views' apply a dozen
 * more a batch. Through `@libsql/client` each statement is a promise and its
 * argument handling: the Deno write API did half the commands a second on it.
 * Remote URLs (Turso, sqld) keep `@libsql/client`.
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
  if (local) {
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
  return libsqlClientDatabase(client);
}
