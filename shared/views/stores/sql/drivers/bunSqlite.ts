import type { SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import { type SyncConnection, type SyncDatabaseOptions, syncDatabase } from "./syncDatabase.ts";

// Typed here rather than through bun-types: this module only ever loads under Bun.
interface BunStatement {
  all(...args: SqlValue[]): SqlRow[];
  get(...args: SqlValue[]): SqlRow | null;
  run(...args: SqlValue[]): unknown;
}
interface BunDatabase {
  query(sql: string): BunStatement;
  exec(sql: string): void;
  close(): void;
}
type BunSqlite = { Database: new (path: string, options?: { create?: boolean }) => BunDatabase };

/**
 * Bun's own SQLite (`bun:sqlite`). `query` caches each prepared statement by
 * its text, so the store's fixed statements are prepared once.
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
    return {
      all: (sql, args) => db.query(sql).all(...args),
      first: (sql, args) => db.query(sql).get(...args) ?? undefined,
      run: (sql, args) => void db.query(sql).run(...args),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
  };
  return syncDatabase("bun:sqlite", target, connect, options);
}
