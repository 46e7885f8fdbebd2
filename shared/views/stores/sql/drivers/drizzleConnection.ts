import type { ResultSet } from "@libsql/client";
import { type SQL, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { SqlConnection, SqlRow, SqlValue } from "../connection.ts";

/** Any drizzle libSQL database or transaction, whatever schema its owner gave it. */
export type DrizzleSql = BaseSQLiteDatabase<"async", ResultSet, Record<string, unknown>>;

const cache = new Map<string, string[]>();
const partsOf = (text: string): string[] => {
  let parts = cache.get(text);
  if (!parts) {
    parts = text.split("?");
    cache.set(text, parts);
  }
  return parts;
};

/** The store's `?` placeholders bound through drizzle's `sql` template. */
function toSql(text: string, args: readonly SqlValue[]): SQL {
  const parts = partsOf(text);
  if (parts.length - 1 !== args.length) {
    throw new Error(`statement has ${parts.length - 1} placeholders, got ${args.length} arguments`);
  }
  const chunks: SQL[] = [sql.raw(parts[0] ?? "")];
  for (const [i, arg] of args.entries()) chunks.push(sql`${arg}${sql.raw(parts[i + 1] ?? "")}`);
  return sql.join(chunks);
}

/**
 * The primary's drizzle transaction as a `SqlConnection`, so its inline views
 * run the same view-store statements inside each command's transaction.
 *
 * @example
 * await primary.write((tx) => applyEventsInTransaction(drizzleConnection(tx), events, tables));
 */
export function drizzleConnection(tx: DrizzleSql): SqlConnection {
  const all = <R extends SqlRow>(text: string, args: readonly SqlValue[] = []) =>
    tx.all<R>(toSql(text, args));
  return {
    all,
    snapshot(fn) {
      return fn(this);
    },
    first: async <R extends SqlRow>(text: string, args: readonly SqlValue[] = []) =>
      (await all<R>(text, args)).at(0),
    run: async (text, args = []) => {
      await tx.run(toSql(text, args));
    },
  };
}
