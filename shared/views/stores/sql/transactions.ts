import { type BusyRetryOptions, Mutex, withBusyRetry } from "./busy.ts";
import type { ViewDb, ViewSql } from "./tables.ts";

// One queue per database, not per store: stores sharing a database never
// contend for SQLite's lock, and healing one database cannot cut another
// store's write.
const queues = new WeakMap<ViewDb, Mutex>();

/** @example await databaseQueue(db).run(task); */
export function databaseQueue(db: ViewDb): Mutex {
  let queue = queues.get(db);
  if (!queue) {
    queue = new Mutex();
    queues.set(db, queue);
  }
  return queue;
}

/**
 * A write transaction (`BEGIN IMMEDIATE`) queued behind this database's other
 * writes and retried whole after SQLITE_BUSY. After a BUSY on a local file the
 * connections are reopened: libsql leaves the failed statement "in progress"
 * on its connection, and every later COMMIT there fails with "cannot commit
 * transaction - SQL statements in progress" (libsql-client-ts #288). Never
 * done for `:memory:`, whose only connection is the database.
 *
 * @example
 * await writeTransaction(db, (tx) => applyEventsInTransaction(tx, events));
 */
export function writeTransaction<T>(
  db: ViewDb,
  fn: (tx: ViewSql) => Promise<T>,
  options: { busyRetry?: BusyRetryOptions } = {},
): Promise<T> {
  return databaseQueue(db).run(() =>
    withBusyRetry("the view store", () => db.transaction("write", fn), {
      ...options.busyRetry,
      beforeRetry: async (error) => {
        if (db.kind === "file") await db.reconnect();
        await options.busyRetry?.beforeRetry?.(error);
      },
    }),
  );
}
