import { resolve } from "node:path";
import { keepNewest } from "../../../../collections/keepNewest.ts";
import { Mutex } from "../busy.ts";
import type { SqlConnection, SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import { turnReads } from "./turnReads.ts";
import { endTurnSnapshots, type TurnSnapshot, turnSnapshot } from "./turnSnapshots.ts";

/**
 * The part of a synchronous SQLite binding the store needs (libsql's
 * better-sqlite3 API, `bun:sqlite`, `node:sqlite`): one connection that
 * prepares a statement once and runs it with positional arguments.
 */
export interface SyncConnection {
  all(sql: string, args: readonly SqlValue[]): SqlRow[];
  /** `SqlConnection.values`, where the binding has it */
  values?(sql: string, args: readonly SqlValue[]): SqlValue[][];
  first(sql: string, args: readonly SqlValue[]): SqlRow | undefined;
  run(sql: string, args: readonly SqlValue[]): void;
  exec(sql: string): void;
  close(): void;
}

/**
 * Statements a connection keeps prepared: far more than the stores' own fixed
 * set (some fifty a namespace), so those are prepared once, while SQL whose
 * text is built per call cycles through the bound instead of growing it for
 * the connection's life.
 */
export const maxCachedStatements = 1_000;

/**
 * Prepares each statement text once and keeps it, up to `max` texts: past
 * the bound the oldest is let go (the binding finalizes it once collected).
 *
 * @example cachedStatements((sql) => db.prepare(sql));
 */
export function cachedStatements<S>(
  prepare: (sql: string) => S,
  max = maxCachedStatements,
): (sql: string) => S {
  const statements = new Map<string, S>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      statements.set(sql, statement);
      keepNewest(statements, max);
    }
    return statement;
  };
}

/** A synchronous call as a promise: its result resolved, its throw a rejection. */
function promised<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A synchronous connection as the store's async one; `snapshot` runs in place (a transaction, or `:memory:`). */
const asyncOf = (c: SyncConnection, pagesAsOneRow: boolean): SqlConnection => {
  const values = c.values;
  return {
    pagesAsOneRow,
    ...(values && {
      values: (sql: string, args: readonly SqlValue[] = []) => promised(() => values(sql, args)),
    }),
    snapshot(fn) {
      return fn(this);
    },
    all: <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
      promised(() => c.all(sql, args) as R[]),
    first: <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
      promised(() => c.first(sql, args) as R | undefined),
    run: (sql: string, args: readonly SqlValue[] = []) => promised(() => c.run(sql, args)),
  };
};

export interface SyncDatabaseOptions {
  /** run on every connection as it opens (per-connection settings such as `PRAGMA synchronous`) */
  pragmas?: readonly string[];
  /** the binding's `SqlConnection.pagesAsOneRow` */
  pagesAsOneRow?: boolean;
  /** a file's reader runs the reads of an event-loop turn in one read transaction */
  turnReads?: boolean;
  /**
   * How: `"batched"` (the default) queues them for the turn's check phase and
   * runs them there back to back (`turnReads.ts`); `"inPlace"` runs each as
   * it comes, in a snapshot the turn's first read opens (`turnSnapshots.ts`),
   * for Bun: its server sends an answer completed outside the request's own
   * dispatch uncorked, a fragment per `send()`, so a 16 KB body completed in
   * the check phase went out in 15 and the navigation tree (26 KB) answered
   * 3,000 req/s where it had answered 18,000-28,000.
   */
  turnReadsMode?: "batched" | "inPlace";
}

/**
 * How long opening a file may wait for another process that holds it for a
 * moment (recovering the WAL, checkpointing as it closes): Bun and Deno
 * readers opening one file together failed 1-20 times in 200 opens with
 * "database is locked", none with this wait.
 */
const openBusyMs = 2_000;

/** How much of a view file reads may map: the views of 100,000 products fit. */
const mmapBytes = 1 << 30;

/**
 * A `SqlDatabase` over a synchronous binding. Files get a reader connection,
 * a writer connection and, per read transaction, a connection of its own (a
 * digest walks for a while; reads meanwhile must not share its old snapshot).
 * `:memory:` has one connection for all of it. Busy timeouts are 0 once a
 * connection is open: a synchronous wait would block the event loop, so
 * SQLITE_BUSY is thrown at once and `writeTransaction` retries it with a
 * timer. Opening waits (`openBusyMs`): nothing retries an open.
 *
 * @example
 * const db = syncDatabase("libsql", path, (p) => libsqlConnection(p));
 */
export function syncDatabase(
  binding: string,
  target: string,
  connect: (path: string) => SyncConnection,
  options: SyncDatabaseOptions = {},
): SqlDatabase {
  const memory = target === ":memory:";
  const oneRow = options.pagesAsOneRow ?? false;
  const path = target.startsWith("file:") ? target.slice("file:".length) : target;
  const open = () => {
    const c = connect(path);
    if (!memory) {
      c.exec(`PRAGMA busy_timeout = ${openBusyMs}`);
      c.exec("PRAGMA journal_mode = WAL");
      // Reads map the file instead of copying pages through read(2): a product
      // page lookup went from 5.2 µs to 4.1 µs on a 10,000-product replica.
      c.exec(`PRAGMA mmap_size = ${mmapBytes}`);
    }
    for (const pragma of options.pragmas ?? []) c.exec(pragma);
    if (!memory) c.exec("PRAGMA busy_timeout = 0");
    return c;
  };
  // the key of this thread's shared snapshots of the file
  const file = memory ? null : resolve(path);
  const endShared = () => {
    if (file !== null) endTurnSnapshots(file);
  };
  /**
   * Runs a transaction or snapshot, then ends the file's shared snapshots
   * (`"inPlace"` turn reads): what it saw or wrote reaches its caller only
   * after, so no later read is served from an older snapshot than that. A
   * write ends them first too: a read transaction open as it begins would
   * keep its checkpoint from finishing and the next write from starting the
   * log over, so the log would only grow.
   */
  const apart = async <T>(fn: () => Promise<T>, write = false): Promise<T> => {
    if (write) endShared();
    try {
      return await fn();
    } finally {
      endShared();
    }
  };
  let writer = open();
  let reader = memory ? writer : open();
  const replaceReader = () => {
    try {
      reader.close();
    } catch {
      // it is being replaced for being broken
    }
    reader = open();
    readerAsync = readerOf(reader);
  };
  const onReader = {
    begin: () => reader.exec("BEGIN"),
    commit: () => reader.exec("COMMIT"),
    broken: replaceReader,
  };
  const inPlace = options.turnReadsMode === "inPlace";
  const shared: TurnSnapshot | null =
    options.turnReads && file !== null && inPlace ? turnSnapshot(file, onReader) : null;
  /** How a read of the turn runs: in the shared snapshot at once, in the turn's batch, or on its own. */
  const inTurn: (<T>(read: () => T) => Promise<T>) | null =
    shared !== null
      ? (read) => promised(() => shared.read(read))
      : options.turnReads && file !== null
        ? turnReads(onReader).read
        : null;
  /**
   * The reader as the store reads through it: with turn reads on, its reads
   * run on the reader of the moment they run (a broken one is replaced in
   * between), and a write or a checkpoint on it runs on its own, as it would
   * anywhere, after the file's shared snapshots end.
   */
  const readerOf = (c: SyncConnection): SqlConnection => {
    if (inTurn === null) return asyncOf(c, oneRow);
    const connection: SqlConnection = {
      ...asyncOf(c, oneRow),
      all: <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
        inTurn(() => reader.all(sql, args) as R[]),
      first: <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
        inTurn(() => reader.first(sql, args) as R | undefined),
      run: (sql: string, args: readonly SqlValue[] = []) =>
        promised(() => {
          endShared();
          c.run(sql, args);
        }),
    };
    if (c.values)
      connection.values = (sql, args = []) =>
        inTurn(() => (reader.values as NonNullable<SyncConnection["values"]>)(sql, args));
    return connection;
  };
  // The reader is reopened by `reconnect`: always go through the current one.
  let readerAsync = readerOf(reader);
  // Multi-statement reads take turns on a connection of their own, in a read transaction.
  let snapshots: SyncConnection | null = null;
  const snapshotTurns = new Mutex();
  const readerConnection: SqlConnection = {
    pagesAsOneRow: oneRow,
    // the reader is reopened with the same binding, so it keeps (or lacks) `values`
    ...(readerAsync.values && {
      values: (sql: string, args?: readonly SqlValue[]) =>
        (readerAsync.values as NonNullable<SqlConnection["values"]>)(sql, args),
    }),
    all: (sql, args) => readerAsync.all(sql, args),
    first: (sql, args) => readerAsync.first(sql, args),
    run: (sql, args) => readerAsync.run(sql, args),
    snapshot: (fn) => {
      if (memory) return fn(readerAsync);
      return snapshotTurns.run(() =>
        apart(async () => {
          snapshots ??= open();
          const c = snapshots;
          c.exec("BEGIN");
          try {
            return await fn(asyncOf(c, oneRow));
          } finally {
            c.exec("COMMIT");
          }
        }),
      );
    },
  };

  return {
    kind: memory ? "memory" : "file",
    binding,
    reader: readerConnection,
    transaction: (mode, fn) =>
      apart(async () => {
        const c = mode === "read" && !memory ? open() : writer;
        try {
          c.exec(mode === "write" ? "BEGIN IMMEDIATE" : "BEGIN");
          try {
            const result = await fn(asyncOf(c, oneRow));
            c.exec("COMMIT");
            return result;
          } catch (error) {
            try {
              c.exec("ROLLBACK");
            } catch {
              // SQLite already rolled back (a failed COMMIT, a full disk): nothing to undo
            }
            throw error;
          }
        } finally {
          if (c !== writer) c.close();
        }
      }, mode === "write"),
    async reconnect() {
      if (memory) return;
      shared?.end();
      writer.close();
      reader.close();
      writer = open();
      reader = open();
      readerAsync = readerOf(reader);
      snapshots?.close();
      snapshots = null;
    },
    close() {
      shared?.close();
      writer.close();
      if (reader !== writer) reader.close();
      snapshots?.close();
    },
  };
}
