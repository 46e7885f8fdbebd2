import { AppError } from "../../shared/errors/index.ts";

// drizzle wraps the driver's LibsqlError in a DrizzleQueryError (`cause`);
// the driver's own calls (BEGIN, COMMIT) throw it bare: look at both.
const codesOf = (e: unknown): string => {
  const err = e as { code?: unknown; cause?: { code?: unknown } } | null;
  return `${String(err?.code ?? "")} ${String(err?.cause?.code ?? "")}`;
};

/** Another connection holds the lock: worth retrying the whole transaction. */
export const isBusy = (e: unknown): boolean => /SQLITE_(BUSY|LOCKED)/.test(codesOf(e));

/** The file cannot take writes at all (full disk, read-only, I/O fault): retrying now is futile. */
export const isUnwritable = (e: unknown): boolean =>
  /SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(codesOf(e));

/**
 * Faults that stay with the connection that saw them: BUSY can leave a
 * statement "in progress" (libsql-client-ts #288), and a connection opened or
 * switched read-only never writes again. A full disk is the file's state, not
 * the connection's, so that one keeps it.
 */
export const needsFreshConnection = (e: unknown): boolean =>
  /SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN)/.test(codesOf(e));

/** A fault of the storage, not of the request: it fails every request of a group. */
export const isStorageFault = (e: unknown): boolean => isBusy(e) || isUnwritable(e);

const reasonOf = (e: unknown): string => {
  const codes = codesOf(e);
  if (/SQLITE_FULL/.test(codes)) return "its disk is full";
  if (/SQLITE_READONLY/.test(codes)) return "it is read-only";
  if (isBusy(e)) return "another writer holds its lock";
  return "it cannot be written";
};

/**
 * The one error a write that the storage refused answers with: 503 and a
 * reason an operator can act on, never the SQL or the driver's message.
 *
 * @example
 * throw storageUnavailable(libsqlError); // → 503 { error: { code: "unavailable", … } }
 */
export const storageUnavailable = (cause: unknown): AppError =>
  new AppError(
    "unavailable",
    `the primary database cannot take writes right now (${reasonOf(cause)}); nothing was written, retry later`,
    { cause },
  );
