import { turnBatch } from "../../turnBatch.ts";

/**
 * The reads of an event-loop turn, run back to back in one read transaction
 * once the turn's I/O is handled (a `turnBatch`), instead of each as its
 * request comes.
 *
 * One transaction: in WAL mode each statement outside a transaction begins
 * and ends a read transaction of its own (a lock on the shared-memory index
 * taken and dropped, the file's size looked up): a product page lookup
 * through the `libsql` binding took 14.8 µs that way and 3.2 µs inside one.
 *
 * Back to back: a statement run between parsing one request and writing its
 * answer ran at half the speed, SQLite's code and the file's pages cold
 * after the HTTP work (as far as a VM without hardware counters shows; this
 * one also flushes the TLB on every system call, PTI without PCID). A
 * 20-item category page on 100,000 products took 97 µs in the Node reader
 * under load that way and 47 µs in a loop of reads alone. Each reader pinned to one core, 16
 * connections from the other, category pages (product pages) a second that
 * way against with a turn's reads together: Node 7,100-7,600 (16,000-16,700)
 * against 10,200-11,200 (23,000-24,000), Deno 6,600-9,300 (19,800-21,500)
 * against 9,200-9,700 (22,700-26,200). Bun runs its reads in place instead
 * (`turnReadsMode`, `turnSnapshots.ts`).
 *
 * What keeps this from serving stale answers: the transaction begins as the
 * batch runs and ends before any read's caller has its result, so no read is
 * served from a snapshot older than anything the thread saw before the read
 * ran, and none is open between batches to hold a checkpoint back. A read
 * that follows another read's result runs in the next batch, in a snapshot
 * of its own: reads that must agree run in a `snapshot`.
 */
export interface TurnReads {
  /** queues `read` for this turn's batch; its result, or its throw, when the batch has run */
  read<T>(read: () => T): Promise<T>;
}

/** The read transaction of a turn's reads on one connection: `turnReads` here, `turnSnapshot` in place. */
export interface ReadTransactionHooks {
  /** `BEGIN` on the connection the reads run on */
  begin(): void;
  /** `COMMIT` there (a read transaction: it never fails but on a broken connection) */
  commit(): void;
  /** the connection could not begin or end its transaction: replace it, or every later read fails or stays stale */
  broken(error: unknown): void;
}

/**
 * Batches the reads of each turn on one connection.
 *
 * @example
 * const turn = turnReads({ begin: () => c.exec("BEGIN"), commit: () => c.exec("COMMIT"), broken: reopen });
 * const row = await turn.read(() => c.first(sql, args));
 */
export function turnReads(o: ReadTransactionHooks): TurnReads {
  const read = turnBatch((batch) => {
    let began = true;
    try {
      o.begin();
    } catch (error) {
      // the reads run on the connection `broken` leaves, each in a transaction of its own
      began = false;
      o.broken(error);
    }
    for (const work of batch) work();
    if (!began) return;
    try {
      o.commit();
    } catch (error) {
      o.broken(error);
    }
  });
  return { read };
}
