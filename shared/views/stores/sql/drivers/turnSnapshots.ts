import type { ReadTransactionHooks } from "./turnReads.ts";

/**
 * One read transaction shared by every read of an event-loop turn on a
 * connection, instead of one per statement, each read run as it comes: the
 * `"inPlace"` turn reads, for Bun (see `turnReadsMode`; elsewhere the reads
 * wait for the turn's check phase and run together, `turnReads.ts`). In WAL mode each statement
 * outside a transaction begins and ends a read transaction of its own (a
 * lock on the shared-memory index taken and dropped, the file's size looked
 * up): on this machine's 2-core VM a product page lookup through the
 * `libsql` binding took 14.8 µs that way and 3.2 µs inside a transaction.
 * Under load a reader serves many requests per turn (16 connections: 51,635
 * reads in 3,255 turns), so they share it.
 *
 * What keeps this from serving stale answers: a shared snapshot is never
 * older than anything this thread has seen of the file. Whatever may see a
 * newer state of it (a transaction, a multi-statement snapshot) ends the
 * file's shared snapshots when it finishes, before its caller has its
 * result, so the watermark a reader has seen (`ReaderState`), which routes
 * reads, is never ahead of the snapshot a read is served from. Another
 * process's commits show from the next turn on, as if the read had come a
 * moment earlier. A write of the thread ends them before it begins too, so
 * its checkpoint is not held back and the log can start over (50 writes
 * between reads in one turn left 52 frames in the log otherwise, 3 this
 * way); another process's checkpoint waits a turn at most.
 */
export interface TurnSnapshot {
  /** runs `read` in the turn's snapshot, beginning one if none is open */
  read<T>(read: () => T): T;
  /** ends the snapshot if one is open: the next read begins a fresh one */
  end(): void;
  /** ends it and stops answering to `endTurnSnapshots` of its file */
  close(): void;
}

/** The shared snapshots of this thread, by the file they read. */
const byFile = new Map<string, Set<TurnSnapshot>>();

/**
 * Shares one read transaction among the reads of a turn on one connection
 * to `file` (an absolute path: the registry's key). A `BEGIN` that fails
 * throws into the read that asked for it; `broken` is told of a `COMMIT`
 * that fails.
 *
 * @example
 * const shared = turnSnapshot("/data/replica.db", { begin: () => c.exec("BEGIN"), commit: () => c.exec("COMMIT"), broken: reopen });
 * shared.read(() => c.first(sql, args));
 */
export function turnSnapshot(file: string, o: ReadTransactionHooks): TurnSnapshot {
  let open = false;
  const end = () => {
    if (!open) return;
    open = false;
    try {
      o.commit();
    } catch (error) {
      o.broken(error);
    }
  };
  const snapshot: TurnSnapshot = {
    read(read) {
      if (!open) {
        o.begin();
        open = true;
        // the turn's I/O callbacks and their promises run before the check phase
        setImmediate(end);
      }
      return read();
    },
    end,
    close() {
      end();
      byFile.get(file)?.delete(snapshot);
    },
  };
  const shared = byFile.get(file) ?? new Set();
  byFile.set(file, shared);
  shared.add(snapshot);
  return snapshot;
}

/**
 * Ends every shared snapshot of `file` in this thread: as a transaction or a
 * multi-statement snapshot finishes, so no read is served from a snapshot
 * older than what the thread has seen, and as a write begins.
 *
 * @example
 * endTurnSnapshots("/data/replica.db");
 */
export function endTurnSnapshots(file: string): void {
  const shared = byFile.get(file);
  if (shared) for (const snapshot of shared) snapshot.end();
}
