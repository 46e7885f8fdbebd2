import type { Client } from "@libsql/client";
import { type BusyRetryOptions, isBusyError, Mutex, withBusyRetry } from "./busy.ts";
import type { ViewDb, ViewSql } from "./tables.ts";

// One queue per client, not per store: stores sharing a client never contend
// for SQLite's lock, and healing one client cannot cut another store's write.
const queues = new WeakMap<Client, Mutex>();

/** @example await clientQueue(db.$client).run(task); */
export function clientQueue(client: Client): Mutex {
  let queue = queues.get(client);
  if (!queue) {
    queue = new Mutex();
    queues.set(client, queue);
  }
  return queue;
}

/**
 * A write transaction (`BEGIN IMMEDIATE`) queued behind this client's other
 * writes and retried whole after SQLITE_BUSY. After a BUSY on a local file the
 * client's connections are reopened: libsql leaves the failed statement "in
 * progress" on its pooled connection, and every later COMMIT there fails with
 * "cannot commit transaction - SQL statements in progress" (libsql-client-ts
 * #288). Never done for `:memory:`, whose only connection is the database.
 *
 * @example
 * await writeTransaction(db, (tx) => applyEventsInTransaction(tx, events), { inMemory: false });
 */
export function writeTransaction<T>(
  db: ViewDb,
  fn: (tx: ViewSql) => Promise<T>,
  options: { inMemory: boolean; busyRetry?: BusyRetryOptions },
): Promise<T> {
  const heal = !options.inMemory && db.$client.protocol === "file";
  return clientQueue(db.$client).run(() =>
    withBusyRetry(async () => {
      try {
        return await db.transaction(fn, { behavior: "immediate" });
      } catch (error) {
        if (heal && isBusyError(error)) await db.$client.reconnect();
        throw error;
      }
    }, options.busyRetry),
  );
}
