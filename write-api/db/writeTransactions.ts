import type { Client } from "@libsql/client";
import { sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import {
  isBusy,
  isStorageFault,
  needsFreshConnection,
  storageUnavailable,
} from "./storageErrors.ts";

export type SynchronousMode = "OFF" | "NORMAL" | "FULL" | "EXTRA";

export type Tx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];
export interface WriteOptions {
  /** what the write costs its group, e.g. its number of commands; default 1 */
  weight?: number;
}
export type WriteTransaction = <T>(
  fn: (tx: Tx) => Promise<T>,
  options?: WriteOptions,
) => Promise<T>;

export interface Writer {
  client: Client;
  db: LibSQLDatabase;
}

export interface WriteTransactionOptions {
  synchronous?: SynchronousMode;
  onBusyRetry?: (attempt: number) => void;
  /** the most writes one transaction commits together; 1 turns group commit off */
  maxGroupSize?: number;
  /** the most weight one group carries, so a few bulk writes do not make one huge transaction; a heavier write still runs, alone */
  maxGroupWeight?: number;
  /** told the size of every group that committed (metrics, tests) */
  onGroupCommitted?: (size: number) => void;
}

interface Member {
  run(tx: Tx): Promise<unknown>;
  weight: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const maxAttempts = 8;
export const defaultMaxGroupSize = 64;
export const defaultMaxGroupWeight = 1_000;

// The local driver runs every statement synchronously, so a group never gives
// way to I/O by itself: yield one turn so the requests that arrived meanwhile
// join the next group instead of each waiting for a group of their own.
const nextTurn = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * One write of a group inside its own SAVEPOINT: a write that throws rolls
 * back alone and the others go on. A storage fault is not the write's own
 * failure (SQLITE_FULL, for one, rolls the whole transaction back), so it
 * ends the group; so does a savepoint that can no longer be rolled back to.
 */
async function inSavepoint(tx: Tx, run: Member["run"]): Promise<Settled> {
  await tx.run(sql.raw("SAVEPOINT write_request"));
  let value: unknown;
  try {
    value = await run(tx);
  } catch (error) {
    if (isStorageFault(error)) throw error;
    await tx.run(sql.raw("ROLLBACK TO write_request"));
    await tx.run(sql.raw("RELEASE write_request"));
    return { ok: false, error };
  }
  await tx.run(sql.raw("RELEASE write_request"));
  return { ok: true, value };
}

/**
 * Serializes every write of this process and commits them in groups: the
 * writes that queued while a transaction ran share the next `BEGIN IMMEDIATE`
 * transaction (at most `maxGroupSize` of them, `maxGroupWeight` in all), each
 * in its own SAVEPOINT, and one COMMIT (one fsync under `synchronous=FULL`)
 * makes them all durable. A write's promise
 * settles only after its group's COMMIT, so nothing acts on a write that could
 * still roll back; a failed COMMIT fails every write of the group.
 *
 * Other processes can still hold the lock, so SQLITE_BUSY is retried for the
 * whole group on a fresh connection: a statement that failed with BUSY stays
 * "in progress" on its connection and makes every later COMMIT there fail too
 * (libsql-client-ts #288), so that connection is dropped. A storage that
 * cannot take writes (full, read-only) fails the group with a 503; after a
 * read-only or I/O fault the next group opens a fresh connection, the only way
 * a connection SQLite opened read-only ever writes again.
 *
 * @example
 * const { write } = writeTransactions(openWriter, { synchronous: "FULL" });
 * const [a, b] = await Promise.all([write(insertA), write(insertB)]); // one COMMIT
 */
export function writeTransactions(
  openWriter: () => Writer,
  options: WriteTransactionOptions,
): { write: WriteTransaction; close(): void } {
  // Opened lazily after a fault dropped it, so a primary that cannot even be
  // opened answers 503 like any other storage fault.
  let writer: Writer | null = openWriter();
  let closed = false;
  const current = (): Writer => {
    if (closed) throw new Error("the primary's writer is closed");
    writer ??= openWriter();
    return writer;
  };
  const drop = () => {
    writer?.client.close();
    writer = null;
  };
  const maxGroupSize = Math.max(1, options.maxGroupSize ?? defaultMaxGroupSize);
  const maxGroupWeight = options.maxGroupWeight ?? defaultMaxGroupWeight;
  const queue: Member[] = [];
  let draining = false;

  const nextGroup = (): Member[] => {
    let size = 0;
    let weight = 0;
    for (const member of queue) {
      if (size === maxGroupSize || (size > 0 && weight + member.weight > maxGroupWeight)) break;
      size++;
      weight += member.weight;
    }
    return queue.splice(0, size);
  };

  const transaction = async (group: Member[]): Promise<Settled[]> => {
    const { client, db } = current();
    // Set before BEGIN (SQLite refuses it inside a transaction); the writer
    // has one connection, so this is the connection the commit runs on.
    if (options.synchronous) {
      await client.execute(`PRAGMA synchronous = ${options.synchronous}`);
    }
    // drizzle's rollback after an error can itself fail (SQLITE_FULL already
    // rolled back) and would replace the error that explains it: keep the first.
    let first: unknown;
    try {
      return await db.transaction(async (tx) => {
        try {
          const [only] = group;
          // Alone, a write needs no savepoint: its failure is the transaction's.
          if (only && group.length === 1) return [{ ok: true, value: await only.run(tx) }];
          const settled: Settled[] = [];
          for (const member of group) settled.push(await inSavepoint(tx, member.run));
          return settled;
        } catch (e) {
          first = e;
          throw e;
        }
      });
    } catch (e) {
      throw first ?? e;
    }
  };

  const attempt = async (group: Member[]): Promise<Settled[]> => {
    for (let n = 1; ; n++) {
      try {
        return await transaction(group);
      } catch (e) {
        if (needsFreshConnection(e)) drop();
        if (isBusy(e)) {
          if (n < maxAttempts) {
            options.onBusyRetry?.(n);
            await new Promise((r) =>
              setTimeout(r, Math.min(200, 5 * 2 ** n) * (0.5 + Math.random())),
            );
            continue;
          }
        }
        if (isStorageFault(e)) throw storageUnavailable(e);
        // A lone write's own failure, rolled back with its transaction.
        if (group.length === 1) return [{ ok: false, error: e }];
        throw e;
      }
    }
  };

  const drain = async () => {
    while (queue.length > 0) {
      await nextTurn();
      const group = nextGroup();
      let settled: Settled[];
      try {
        settled = await attempt(group);
      } catch (e) {
        for (const member of group) member.reject(e);
        continue;
      }
      if (settled.some((s) => s.ok)) options.onGroupCommitted?.(group.length);
      settled.forEach((s, i) => {
        if (s.ok) group[i]?.resolve(s.value);
        else group[i]?.reject(s.error);
      });
    }
    draining = false;
  };

  return {
    write: <T>(fn: (tx: Tx) => Promise<T>, writeOptions?: WriteOptions): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        queue.push({
          run: fn,
          weight: Math.max(0, writeOptions?.weight ?? 1),
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        if (!draining) {
          draining = true;
          void drain();
        }
      }),
    close: () => {
      closed = true;
      drop();
    },
  };
}
