import { AppError } from "../../../errors/index.ts";

export interface BusyRetryOptions {
  /** how long to keep retrying another connection's lock, ms; default 5,000 */
  budgetMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** told before each retry (metrics, tests) */
  onRetry?: (attempt: number, error: unknown) => void;
  /** runs before each retry: reopen the connection a BUSY statement left unable to commit */
  beforeRetry?: (error: unknown) => void | Promise<void>;
}

/** The default busy budget of every SQLite writer here (`DATABASE_BUSY_TIMEOUT_MS`). */
export const defaultBusyBudgetMs = 5_000;

// libsql's own errors carry the code; drizzle and others wrap it in `cause`.
const codesOf = (error: unknown): string => {
  let codes = "";
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    codes += ` ${String((e as { code?: unknown }).code ?? "")} ${e.message}`;
  }
  return codes;
};

const busy = /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i;

/**
 * Whether an error, or one it wraps, is SQLite's "busy": another connection
 * holds the lock, worth retrying the whole transaction.
 *
 * @example
 * isBusyError(new LibsqlError("database is locked", "SQLITE_BUSY")); // → true
 */
export function isBusyError(error: unknown): boolean {
  return busy.test(codesOf(error));
}

/** The file cannot take writes at all (full disk, read-only, I/O fault): retrying now is futile. */
export const isUnwritable = (error: unknown): boolean =>
  /SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(codesOf(error));

/**
 * Faults that stay with the connection that saw them: BUSY can leave a
 * statement "in progress" (libsql-client-ts #288), and a connection opened or
 * switched read-only never writes again. A full disk is the file's state, not
 * the connection's, so that one keeps it.
 */
export const needsFreshConnection = (error: unknown): boolean =>
  /SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN)|database is locked/.test(codesOf(error));

/** A fault of the storage, not of the request: it fails every request that shares its transaction. */
export const isStorageFault = (error: unknown): boolean =>
  isBusyError(error) || isUnwritable(error);

const reasonOf = (error: unknown): string => {
  const codes = codesOf(error);
  if (/SQLITE_FULL/.test(codes)) return "its disk is full";
  if (/SQLITE_READONLY/.test(codes)) return "it is read-only";
  if (isBusyError(error)) return "another writer holds its lock";
  return "it cannot be written";
};

/**
 * The one error a write the storage refused answers with: 503 and a reason an
 * operator can act on, never the SQL or the driver's message.
 *
 * @example
 * throw storageUnavailable("the primary database", libsqlError); // → 503 { error: { code: "unavailable", … } }
 */
export const storageUnavailable = (what: string, cause: unknown): AppError =>
  new AppError(
    "unavailable",
    `${what} cannot take writes right now (${reasonOf(cause)}); nothing was written, retry later`,
    { cause },
  );

/**
 * Runs a whole transaction again after SQLITE_BUSY, with bounded exponential
 * backoff and jitter, for up to `budgetMs`; then a 503 naming `what`.
 * Retrying the transaction rather than the statement is the point: libsql's
 * busy_timeout may be ignored on local files, a synchronous binding must not
 * block the event loop waiting, and a BEGIN that failed half-way must not be
 * continued (libsql-client-ts #288, #352). The primary's writer and every
 * view store use this one policy.
 *
 * @example
 * await withBusyRetry("the view store", () => db.transaction("write", apply), { beforeRetry: () => db.reconnect() });
 */
export async function withBusyRetry<T>(
  what: string,
  fn: () => Promise<T>,
  options: BusyRetryOptions = {},
): Promise<T> {
  const until = Date.now() + (options.budgetMs ?? defaultBusyBudgetMs);
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (Date.now() >= until) throw storageUnavailable(what, error);
      options.onRetry?.(attempt, error);
      await options.beforeRetry?.(error);
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
