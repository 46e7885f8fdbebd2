import type { SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import {
  cachedStatements,
  type SyncConnection,
  type SyncDatabaseOptions,
  syncDatabase,
} from "./syncDatabase.ts";

// Typed here rather than through bun-types: this module only ever loads under Bun.
interface BunStatement {
  all(...args: SqlValue[]): SqlRow[];
  get(...args: SqlValue[]): SqlRow | null;
  run(...args: SqlValue[]): unknown;
}
interface BunDatabase {
  prepare(sql: string): BunStatement;
  exec(sql: string): void;
  close(): void;
}
type BunSqlite = { Database: new (path: string, options?: { create?: boolean }) => BunDatabase };

/**
 * Bun's own SQLite (`bun:sqlite`), its statements prepared once per text and
 * kept within the bound every binding shares (`cachedStatements`).
 *
 * @example
 * const db = await openBunSqlite("file:.data/replica.db");
 */
export async function openBunSqlite(
  target: string,
  options?: SyncDatabaseOptions,
): Promise<SqlDatabase> {
  const specifier = "bun:sqlite";
  const { Database } = (await import(specifier)) as BunSqlite;
  const connect = (path: string): SyncConnection => {
    const db = new Database(path, { create: true });
    db.exec("PRAGMA busy_timeout = 0");
    const prepared = cachedStatements((sql) => db.prepare(sql));
    return {
      all: (sql, args) => prepared(sql).all(...args),
      first: (sql, args) => prepared(sql).get(...args) ?? undefined,
      run: (sql, args) => void prepared(sql).run(...args),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
  };
  // the turn's reads in place, not in its check phase: see `turnReadsMode`
  return syncDatabase("bun:sqlite", target, connect, { turnReadsMode: "inPlace", ...options });
}
