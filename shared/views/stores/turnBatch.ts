/**
 * Work queued during an event-loop turn, started together once the turn's
 * I/O is handled (its check phase, `setImmediate`): the requests a reader
 * parsed in one turn have their reads run back to back (SQL, `turnReads`)
 * or sent as one request (Redis, the client's auto-pipelining). An idle
 * reader's one read waits for nothing: the check phase follows the I/O that
 * brought it in the same turn.
 */
export type TurnBatch = <T>(work: () => T | PromiseLike<T>) => Promise<T>;

/** A batch's queued work, each item settling its own caller's promise and never throwing. */
export type QueuedWork = readonly (() => void)[];

const startEach = (batch: QueuedWork) => {
  for (const work of batch) work();
};

/**
 * Queues work for the turn's batch, which `run` starts (by default each in
 * turn, as queued); each caller gets its own work's result or throw.
 *
 * @example
 * const later = turnBatch();
 * const [a, b] = await Promise.all([later(() => readA()), later(() => readB())]); // started together
 */
export function turnBatch(run: (batch: QueuedWork) => void = startEach): TurnBatch {
  let queued: (() => void)[] = [];
  const runQueued = () => {
    const batch = queued;
    queued = [];
    run(batch);
  };
  return (work) =>
    new Promise((resolve, reject) => {
      if (queued.length === 0) setImmediate(runQueued);
      queued.push(() => {
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      });
    });
}
