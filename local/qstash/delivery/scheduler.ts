/**
 * Timers and in-flight work, counted, so a caller can wait for the moment
 * nothing is due or running: tests await that instead of sleeping.
 */
export interface Scheduler {
  /**
   * Runs `task` after `delayMs`; it counts as pending from now until it
   * settles. The returned function cancels it if it has not started yet.
   */
  after(delayMs: number, task: () => Promise<void> | void): () => void;
  /** Counts `work` as pending until it settles. */
  track(work: Promise<unknown>): void;
  pending(): number;
  /** Resolves true once nothing is pending, or false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean>;
  /** Cancels every timer; tasks not yet started never run. */
  close(): void;
}

/**
 * @example
 * const scheduler = createScheduler((error) => console.error(error));
 * scheduler.after(100, () => deliver(message));
 * await scheduler.whenIdle(5_000);
 */
export const createScheduler = (onError: (error: unknown) => void): Scheduler => {
  let pending = 0;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();

  const settle = () => {
    pending--;
    if (pending > 0) return;
    // A settling task may schedule its successor in a continuation, so look
    // again one macrotask later before calling the system idle.
    setImmediate(() => {
      if (pending !== 0) return;
      for (const wake of [...waiters]) wake();
    });
  };

  const track = (work: Promise<unknown>) => {
    pending++;
    work.catch(onError).finally(settle);
  };

  return {
    after(delayMs, task) {
      if (closed) return () => {};
      pending++;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (closed) return settle();
          Promise.resolve().then(task).catch(onError).finally(settle);
        },
        Math.max(0, delayMs),
      );
      timers.add(timer);
      return () => {
        if (!timers.delete(timer)) return;
        clearTimeout(timer);
        settle();
      };
    },
    track,
    pending: () => pending,
    whenIdle(timeoutMs) {
      if (pending === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(false);
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      pending -= timers.size;
      timers.clear();
      for (const wake of [...waiters]) wake();
    },
  };
};
