import type { SqlDatabase } from "../connection.ts";

/** Which SQLite binding a store runs on; `auto` picks the fastest the runtime has. */
export const sqlBindings = ["auto", "libsql", "bun", "deno", "client"] as const;
export type SqlBinding = (typeof sqlBindings)[number];

const isRemote = (target: string) => /^(libsql:|https?:|wss?:)/.test(target);

declare const Bun: unknown;
declare const Deno: unknown;

/** The binding `auto` means on this runtime for this target. */
export function resolveBinding(
  target: string,
  binding: SqlBinding = "auto",
): Exclude<SqlBinding, "auto"> {
  if (binding !== "auto") return binding;
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
 * another's module.
 *
 * @example
 * const db = await openSqlDatabase("file:.data/replica.db"); // libsql on Node, bun:sqlite on Bun…
 */
export async function openSqlDatabase(
  target: string,
  options: { binding?: SqlBinding; authToken?: string } = {},
): Promise<SqlDatabase> {
  const binding = resolveBinding(target, options.binding);
  if (isRemote(target) && binding !== "client") {
    throw new Error(`${target} is a remote database: only the "client" binding reaches it`);
  }
  switch (binding) {
    case "client":
      return (await import("./libsqlClient.ts")).openLibsqlClient(target, options.authToken);
    case "bun":
      return (await import("./bunSqlite.ts")).openBunSqlite(target);
    case "deno":
      return (await import("./nodeSqlite.ts")).openNodeSqlite(target);
    case "libsql":
      return (await import("./libsqlNative.ts")).openLibsqlNative(target);
  }
}
