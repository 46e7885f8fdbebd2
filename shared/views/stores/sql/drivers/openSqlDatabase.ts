import type { SqlDatabase } from "../connection.ts";
import type { SyncDatabaseOptions } from "./syncDatabase.ts";

/** Which SQLite binding a store runs on. */
type SqlBinding = "libsql" | "bun" | "deno" | "client";

const isRemote = (target: string) => /^(libsql:|https?:|wss?:)/.test(target);

declare const Bun: unknown;
declare const Deno: unknown;

/** The fastest binding this runtime has for this target. */
function bindingFor(target: string): SqlBinding {
  if (isRemote(target)) return "client";
  if (typeof Bun !== "undefined") return "bun";
  if (typeof Deno !== "undefined") return "deno";
  return "libsql";
}

/**
 * Opens a view database: remote URLs through `@libsql/client`; files and
 * `:memory:` through the runtime's fastest synchronous SQLite (measured in
 * `bench/`): the `libsql` package on Node, `bun:sqlite` on Bun, `node:sqlite`
 * on Deno. Each binding is loaded only when chosen, so no runtime meets
 * another's module. `pragmas` run on every connection to a file or `:memory:`,
 * and `turnReads` runs a file's reads of one turn together, in one read
 * transaction; a remote database keeps its server's settings.
 *
 * @example
 * const db = await openSqlDatabase("file:.data/replica.db"); // libsql on Node, bun:sqlite on Bun…
 */
export async function openSqlDatabase(
  target: string,
  options: Pick<SyncDatabaseOptions, "pragmas" | "turnReads"> = {},
): Promise<SqlDatabase> {
  switch (bindingFor(target)) {
    case "client":
      return (await import("./libsqlClient.ts")).openLibsqlClient(target);
    case "bun":
      return (await import("./bunSqlite.ts")).openBunSqlite(target, options);
    case "deno":
      return (await import("./nodeSqlite.ts")).openNodeSqlite(target, options);
    case "libsql":
      return (await import("./libsqlNative.ts")).openLibsqlNative(target, options);
  }
}
