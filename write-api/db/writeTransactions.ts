import { AppError } from "../../shared/errors/index.ts";
import {
  defaultBusyBudgetMs,
  isStorageFault,
  needsFreshConnection,
  storageUnavailable,
  withBusyRetry,
} from "../../shared/views/stores/sql/busy.ts";
import type { SqlConnection, SqlDatabase } from "../../shared/views/stores/sql/connection.ts";

export type SynchronousMode = "OFF" | "NORMAL" | "FULL" | "EXTRA";

/** The inside of the primary's write transaction: prepared statements on its one writer connection. */
export type Tx = SqlConnection;
export interface WriteOptions {
  /** what the write costs its group, e.g. its number of commands; default 1 */
  weight?: number;
  /**
   * Bookkeeping that need not commit on its own: it rides in the next group
   * that other writes start, and runs alone only if none starts within this
   * many ms. No serialized write of its own while commands are flowing.
   */
  lazyMs?: number;
}
export type WriteTransaction = <T>(
  fn: (tx: Tx) => Promise<T>,
  options?: WriteOptions,
) => Promise<T>;

export interface WriteTransactionOptions {
  /** how long a group keeps retrying SQLITE_BUSY (another process's lock) before it answers 503, ms */
  busyTimeoutMs?: number;
  onBusyRetry?: (attempt: number) => void;
  /** the most writes one transaction commits together; 1 turns group commit off */
  maxGroupSize?: number;
  /** the most weight one group carries, so a few bulk writes do not make one huge transaction; a heavier write still runs, alone */
  maxGroupWeight?: number;
  /** told the number of writes that carried weight (commands) in every group that committed (metrics, tests) */
  onGroupCommitted?: (size: number) => void;
}

interface Member {
  run(tx: Tx): Promise<unknown>;
  weight: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

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
  await tx.run("SAVEPOINT write_request");
  let value: unknown;
  try {
    value = await run(tx);
  } catch (error) {
    if (isStorageFault(error)) throw error;
    await tx.run("ROLLBACK TO write_request");
    await tx.run("RELEASE write_request");
    return { ok: false, error };
  }
  await tx.run("RELEASE write_request");
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
 * whole group, with backoff for up to `busyTimeoutMs`, on a fresh connection:
 * a statement that failed with BUSY stays "in progress" on its connection and
 * makes every later COMMIT there fail too (libsql-client-ts #288), so that
 * connection is dropped. A synchronous binding never blocks the event loop
 * waiting for a lock: it throws BUSY at once and this loop waits on a timer.
 * A storage that cannot take writes (full, read-only) fails the group with a
 * 503; after a read-only or I/O fault the next group opens a fresh
 * connection, the only way a connection SQLite opened read-only ever writes
 * again. `first` is a writer already opened (so a primary that cannot be
 * opened fails at start-up); later ones come from `openWriter`.
 *
 * @example
 * const { write } = writeTransactions(() => openPrimaryDatabase(config), {});
 * const [a, b] = await Promise.all([write(insertA), write(insertB)]); // one COMMIT
 */
export function writeTransactions(
  openWriter: () => Promise<SqlDatabase>,
  options: WriteTransactionOptions,
  first?: SqlDatabase,
): { write: WriteTransaction; close(): void } {
  // Opened lazily after a fault dropped it, so a primary that cannot even be
  // opened answers 503 like any other storage fault.
  let writer: SqlDatabase | null = first ?? null;
  let closed = false;
  const current = async (): Promise<SqlDatabase> => {
    if (closed) throw new Error("the primary's writer is closed");
    writer ??= await openWriter();
    return writer;
  };
  const drop = () => {
    writer?.close();
    writer = null;
  };
  const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyBudgetMs;
  const maxGroupSize = Math.max(1, options.maxGroupSize ?? defaultMaxGroupSize);
  const maxGroupWeight = options.maxGroupWeight ?? defaultMaxGroupWeight;
  const queue: Member[] = [];
  let draining = false;
  let lazyTimer: ReturnType<typeof setTimeout> | undefined;

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
    const db = await current();
    // A rollback after an error can itself fail (SQLITE_FULL already rolled
    // back) and would replace the error that explains it: keep the first.
    let first: unknown;
    try {
      return await db.transaction("write", async (tx) => {
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

  const primary = "the primary database";
  const attempt = async (group: Member[]): Promise<Settled[]> => {
    try {
      return await withBusyRetry(primary, () => transaction(group), {
        budgetMs: busyTimeoutMs,
        onRetry: options.onBusyRetry,
        beforeRetry: drop,
      });
    } catch (e) {
      if (needsFreshConnection(e)) drop();
      // the busy budget ran out: already the 503 to answer
      if (e instanceof AppError && e.code === "unavailable") throw e;
      if (isStorageFault(e)) throw storageUnavailable(primary, e);
      // A lone write's own failure, rolled back with its transaction.
      if (group.length === 1) return [{ ok: false, error: e }];
      throw e;
    }
  };

  const drain = async () => {
    while (queue.length > 0) {
      await nextTurn();
      const group = nextGroup();
      if (group.length === 0) continue;
      let settled: Settled[];
      try {
        settled = await attempt(group);
      } catch (e) {
        for (const member of group) member.reject(e);
        continue;
      }
      const weighed = group.filter((m) => m.weight > 0).length;
      if (weighed > 0 && settled.some((s) => s.ok)) options.onGroupCommitted?.(weighed);
      settled.forEach((s, i) => {
        if (s.ok) group[i]?.resolve(s.value);
        else group[i]?.reject(s.error);
      });
    }
    draining = false;
  };

  const startDrain = () => {
    if (draining) return;
    draining = true;
    void drain();
  };

  return {
    write: <T>(fn: (tx: Tx) => Promise<T>, writeOptions?: WriteOptions): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (closed) return reject(new Error("the primary's writer is closed"));
        queue.push({
          run: fn,
          weight: Math.max(0, writeOptions?.weight ?? 1),
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        const lazyMs = writeOptions?.lazyMs;
        if (lazyMs === undefined) return startDrain();
        lazyTimer ??= setTimeout(() => {
          lazyTimer = undefined;
          startDrain();
        }, lazyMs);
      }),
    close: () => {
      closed = true;
      clearTimeout(lazyTimer);
      for (const member of queue.splice(0)) {
        member.reject(new Error("the primary's writer closed before this write ran"));
      }
      drop();
    },
  };
}
