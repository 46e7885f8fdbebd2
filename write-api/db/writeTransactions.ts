import type { Client } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { AppError } from "../../shared/errors/index.ts";

export type SynchronousMode = "OFF" | "NORMAL" | "FULL" | "EXTRA";

export type Tx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];
export type WriteTransaction = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export interface Writer {
  client: Client;
  db: LibSQLDatabase;
}

const maxAttempts = 8;

const codesOf = (e: unknown): string => {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return `${err?.code ?? ""} ${err?.cause?.code ?? ""}`;
};
const isBusy = (e: unknown) => /SQLITE_(BUSY|LOCKED)/.test(codesOf(e));
const isUnwritable = (e: unknown) => /SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(codesOf(e));

/**
 * Serializes every write of this process through one queue and runs each as
 * `BEGIN IMMEDIATE` (libsql's "write" mode, which drizzle uses), so lock
 * upgrades never fail. Other processes can still hold the lock, so SQLITE_BUSY
 * is retried for the whole transaction on a fresh connection: a statement that
 * failed with BUSY stays "in progress" on its connection and makes every later
 * COMMIT there fail too (libsql-client-ts #288), so that connection is dropped.
 */
export function writeTransactions(
  openWriter: () => Writer,
  options: { synchronous?: SynchronousMode; onBusyRetry?: (attempt: number) => void },
): { write: WriteTransaction; close(): void } {
  let writer = openWriter();
  let tail: Promise<unknown> = Promise.resolve();

  const attempt = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    for (let n = 1; ; n++) {
      try {
        // Set before BEGIN (SQLite refuses it inside a transaction); the writer
        // has one connection, so this is the connection the commit runs on.
        if (options.synchronous) {
          await writer.client.execute(`PRAGMA synchronous = ${options.synchronous}`);
        }
        return await writer.db.transaction(fn);
      } catch (e) {
        if (isBusy(e)) {
          writer.client.close();
          writer = openWriter();
          if (n < maxAttempts) {
            options.onBusyRetry?.(n);
            await new Promise((r) =>
              setTimeout(r, Math.min(200, 5 * 2 ** n) * (0.5 + Math.random())),
            );
            continue;
          }
        }
        if (isBusy(e) || isUnwritable(e)) {
          throw new AppError("unavailable", "the primary database cannot take writes right now", {
            cause: e,
          });
        }
        throw e;
      }
    }
  };

  return {
    write: <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      const run = tail.then(() => attempt(fn));
      tail = run.catch(() => undefined);
      return run;
    },
    close: () => writer.client.close(),
  };
}
