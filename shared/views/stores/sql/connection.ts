/** What a statement may bind: SQLite's text, integer/real and null. */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/**
 * One way to run statements: a connection outside any transaction (each
 * statement its own snapshot) or the inside of a transaction. The view store
 * speaks only this, so each SQLite binding is a small adapter.
 */
export interface SqlConnection {
  /** every row of a statement, columns by name */
  all<R extends SqlRow = SqlRow>(sql: string, args?: readonly SqlValue[]): Promise<R[]>;
  /**
   * Every row as an array of its columns in order, where a binding builds
   * arrays faster than objects (`node:sqlite`: a 21-row page 24.4 → 19.5 µs);
   * absent elsewhere, and callers use `all`.
   */
  values?(sql: string, args?: readonly SqlValue[]): Promise<SqlValue[][]>;
  /** the first row, or undefined: cheaper than `all` where a binding can stop at one row */
  first<R extends SqlRow = SqlRow>(sql: string, args?: readonly SqlValue[]): Promise<R | undefined>;
  run(sql: string, args?: readonly SqlValue[]): Promise<void>;
  /**
   * Runs several statements in one read snapshot, apart from every other
   * read (one of which may be of a client that already saw newer data): a
   * read transaction of its own. Inside a transaction, `fn` simply runs there.
   */
  snapshot<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T>;
  /** terms a compound SELECT may have where below SQLite's 500: D1 allows 5 */
  readonly maxCompoundSelect?: number;
  /**
   * true where a page of stored items reads faster as one row (SQLite joins
   * the items) than as a row per item: the `libsql` bindings, whose rows cost
   * more to hand over than the engine's aggregate. `bun:sqlite` and
   * `node:sqlite` hand over rows cheaply and run the aggregate slower (their
   * newer SQLite), so they read a row per item (see `models/pageRows.ts`).
   */
  readonly pagesAsOneRow?: boolean;
}

/**
 * A SQLite database as the view store uses it, whatever binding runs it.
 * - `file`: an embedded file in WAL mode; reads on their own connection never
 *   see a write transaction that has not committed.
 * - `memory`: `:memory:`, one connection for everything, so reads must queue
 *   behind writes (the store does).
 * - `remote`: a libSQL server (Turso, sqld) through `@libsql/client`.
 * - `d1`: Cloudflare D1 (`drivers/d1.ts`): no interactive transactions, so a
 *   write transaction's writes go as one batch after its reads; no PRAGMA,
 *   at most 100 bound values a statement.
 */
export interface SqlDatabase {
  readonly kind: "file" | "memory" | "remote" | "d1";
  /** the binding, for logs and the bench: "libsql", "bun:sqlite", "node:sqlite", "@libsql/client", "d1" */
  readonly binding: string;
  readonly reader: SqlConnection;
  /**
   * `fn` inside `BEGIN IMMEDIATE` ("write") or a read snapshot ("read") on a
   * connection of its own; committed when it resolves, rolled back when it
   * throws. Neither serialized nor retried here: see `writeTransaction`.
   */
  transaction<T>(mode: "write" | "read", fn: (tx: SqlConnection) => Promise<T>): Promise<T>;
  /** reopens the connections: after SQLITE_BUSY a statement may stay "in progress" (libsql-client-ts #288) */
  reconnect(): Promise<void>;
  close(): void;
}

/** Opens a database for a `file:` path, `:memory:` or a remote URL. */
export type SqlOpener = (target: string) => Promise<SqlDatabase>;
