import type { Client } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { AppError } from "../../shared/errors/index.ts";
import type { SynchronousMode } from "./openPrimary.ts";

export type Tx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];
export type WriteTransaction = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const maxAttempts = 8;

const isBusy = (e: unknown): boolean => {
  const code = (e as { code?: string } | null)?.code ?? "";
  const cause = (e as { cause?: { code?: string } } | null)?.cause?.code ?? "";
  return /SQLITE_BUSY|SQLITE_LOCKED/.test(code) || /SQLITE_BUSY|SQLITE_LOCKED/.test(cause);
};

const isReadOnlyOrFull = (e: unknown): boolean =>
  /SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(
    `${(e as { code?: string } | null)?.code} ${(e as { cause?: { code?: string } } | null)?.cause?.code}`,
  );

/**
 * Serializes every write of this process through one queue and runs each as
 * `BEGIN IMMEDIATE` (libsql's "write" mode, which drizzle uses), so lock
 * upgrades never fail. Two writers in one process would only fight over the
 * file lock; other processes still can, so SQLITE_BUSY is retried for the
 * whole transaction — a BUSY statement may have left its BEGIN behind
 * (libsql-client-ts #288), and only a fresh transaction is safe.
 */
export function writeTransactions(
  db: LibSQLDatabase,
  client: Client,
  synchronous: SynchronousMode | undefined,
): WriteTransaction {
  let tail: Promise<unknown> = Promise.resolve();

  const attempt = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    for (let n = 1; ; n++) {
      try {
        // Set before BEGIN (SQLite refuses it inside a transaction); the writer
        // has one connection, so this is the connection the commit runs on.
        if (synchronous) await client.execute(`PRAGMA synchronous = ${synchronous}`);
        return await db.transaction(fn);
      } catch (e) {
        if (isBusy(e) && n < maxAttempts) {
          await new Promise((r) =>
            setTimeout(r, Math.min(200, 5 * 2 ** n) * (0.5 + Math.random())),
          );
          continue;
        }
        if (isBusy(e) || isReadOnlyOrFull(e)) {
          throw new AppError("unavailable", "the primary database cannot take writes right now", {
            cause: e,
          });
        }
        throw e;
      }
    }
  };

  return <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const run = tail.then(() => attempt(fn));
    tail = run.catch(() => undefined);
    return run;
  };
}
