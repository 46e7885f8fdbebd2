import type { SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import {
  cachedStatements,
  type SyncConnection,
  type SyncDatabaseOptions,
  syncDatabase,
} from "./syncDatabase.ts";

// Typed here: Node 20 has no `node:sqlite`; this module only ever loads under Deno.
interface NodeStatement {
  all(...args: SqlValue[]): SqlRow[];
  setReturnArrays(enabled: boolean): void;
  get(...args: SqlValue[]): SqlRow | undefined;
  run(...args: SqlValue[]): unknown;
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}
type NodeSqlite = {
  DatabaseSync: new (path: string, options?: { timeout?: number }) => NodeDatabase;
};

/**
 * `node:sqlite`'s `DatabaseSync`, as Deno ships it: Deno's fastest SQLite
 * here (the npm `libsql` addon runs too, through Node-API, but slower).
 *
 * @example
 * const db = await openNodeSqlite("file:.data/replica.db");
 */
export async function openNodeSqlite(
  target: string,
  options?: SyncDatabaseOptions,
): Promise<SqlDatabase> {
  const specifier = "node:sqlite";
  const { DatabaseSync } = (await import(specifier)) as NodeSqlite;
  const connect = (path: string): SyncConnection => {
    const db = new DatabaseSync(path, { timeout: 0 });
    const prepared = cachedStatements((sql) => db.prepare(sql));
    const preparedForArrays = cachedStatements((sql) => {
      const statement = db.prepare(sql);
      statement.setReturnArrays(true);
      return statement;
    });
    return {
      // rows come with a null prototype; plain objects read the same
      all: (sql, args) => prepared(sql).all(...args),
      values: (sql, args) => preparedForArrays(sql).all(...args) as unknown as SqlValue[][],
      first: (sql, args) => prepared(sql).get(...args),
      run: (sql, args) => void prepared(sql).run(...args),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
  };
  return syncDatabase("node:sqlite", target, connect, options);
}
