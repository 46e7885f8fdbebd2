import { AppError } from "../../../errors/index.ts";

export interface BusyRetryOptions {
  /** tries in all, the first included */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** told before each retry (metrics, tests) */
  onRetry?: (attempt: number, error: unknown) => void;
}

const busy = /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i;

/**
 * Whether an error, or one it wraps (drizzle wraps libsql's), is SQLite's "busy".
 *
 * @example
 * isBusyError(new LibsqlError("database is locked", "SQLITE_BUSY")); // → true
 */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (busy.test(`${(e as { code?: unknown }).code ?? ""} ${e.message}`)) return true;
  }
  return false;
}

/**
 * Runs a whole transaction again after SQLITE_BUSY, with bounded exponential
 * backoff and jitter. Retrying the transaction rather than the statement is
 * the point: libsql's busy_timeout may be ignored on local files, and a BEGIN
 * that failed half-way must not be continued (libsql-client-ts #288, #352).
 *
 * @example
 * await withBusyRetry(() => db.transaction(apply, { behavior: "immediate" }));
 */
export async function withBusyRetry<T>(
  fn: () => Promise<T>,
  options: BusyRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 12;
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (attempt >= attempts) {
        throw new AppError("unavailable", "the view store is locked by another writer", {
          cause: error,
        });
      }
      options.onRetry?.(attempt, error);
      const delay = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Runs tasks one at a time, in call order. Concurrent applies in one process
 * then queue instead of fighting over SQLite's lock, and a single-connection
 * database (`:memory:`) is never asked for a second connection.
 *
 * @example
 * const lock = new Mutex();
 * await Promise.all([lock.run(a), lock.run(b)]); // b starts after a settles
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
