import Database from "libsql";
import type { SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import {
  cachedStatements,
  type SyncConnection,
  type SyncDatabaseOptions,
  syncDatabase,
} from "./syncDatabase.ts";

interface Statement {
  /** true when the statement returns rows (a SELECT, such as an `assertThat` guard) */
  readonly reader: boolean;
  all(args: readonly SqlValue[]): SqlRow[];
  get(args: readonly SqlValue[]): SqlRow | undefined;
  run(args: readonly SqlValue[]): unknown;
  /** rows as arrays of their columns from now on */
  raw(toggle: boolean): Statement;
}

const connect = (path: string): SyncConnection => {
  // timeout 0: see syncDatabase; SQLITE_BUSY is retried with a timer, never waited for in a loop
  const db = new Database(path, { timeout: 0 });
  const prepared = cachedStatements((sql) => db.prepare(sql) as unknown as Statement);
  const preparedForArrays = cachedStatements((sql) =>
    (db.prepare(sql) as unknown as Statement).raw(true),
  );
  return {
    all: (sql, args) => prepared(sql).all(args),
    // a page of 1,000 events of the log: 1.53 ms as arrays, 1.97 ms as objects
    values: (sql, args) => preparedForArrays(sql).all(args) as unknown as SqlValue[][],
    first: (sql, args) => prepared(sql).get(args),
    run: (sql, args) => {
      const statement = prepared(sql);
      // run() steps a row-returning statement once and leaves it open, and an open statement
      // locks its tables on this connection: a later DROP TABLE fails with SQLITE_LOCKED
      if (statement.reader) statement.all(args);
      else statement.run(args);
    },
    exec: (sql) => void db.exec(sql),
    close: () => db.close(),
  };
};

/**
 * The `libsql` package's synchronous API (the engine `@libsql/client` wraps
 * on Node): a prepared statement costs microseconds, not the tens that the
 * client's per-statement promise and argument handling add.
 *
 * @example
 * const db = openLibsqlNative("file:.data/replica.db");
 */
export const openLibsqlNative = async (
  target: string,
  options?: SyncDatabaseOptions,
): Promise<SqlDatabase> =>
  syncDatabase("libsql", target, connect, { pagesAsOneRow: true, ...options });
