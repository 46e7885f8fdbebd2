import type { SqlValue } from "./connection.ts";

/** One statement of a write, apart from where it runs: a transaction, or a D1 batch. */
export interface SqlStatement {
  readonly sql: string;
  readonly args: readonly SqlValue[];
}

// SQLite has no RAISE outside triggers; json_extract with a malformed path is
// the table-free error it does have, and its message carries the path, so the
// failure says which check failed. CASE evaluates only the branch it takes
// (checked on libSQL, node:sqlite and workerd's D1: a passing check returns 0).
const conflictMarker = "write conflict";

/**
 * A statement that fails unless `condition` holds, aborting the transaction
 * or D1 batch it runs in. Inside an interactive transaction, which has held the
 * lock since its reads, it always passes; in a D1 batch, sent after reads
 * made outside any transaction, it is the compare-and-set that makes the batch
 * apply only to the state those reads saw.
 *
 * The message is bound after `condition`'s values, not written into the
 * text: bindings prepare a statement once per text and keep it, so a message
 * naming a watermark made every apply prepare a statement of its own and
 * keep it for as long as the connection lived.
 *
 * @example
 * await tx.run(...Object.values(assertThat("(SELECT watermark FROM view_meta WHERE id = 1) = ?", [41], "view watermark moved")));
 */
export const assertThat = (
  condition: string,
  args: readonly SqlValue[],
  what: string,
): SqlStatement => ({
  sql: `SELECT CASE WHEN ${condition} THEN 0 ELSE json_extract('{}', ?) END`,
  args: [...args, `${conflictMarker}: ${what}`],
});

const messagesOf = (error: unknown): string => {
  let text = "";
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    text += ` ${e.message}`;
  }
  return text;
};

/**
 * Whether a write failed because an `assertThat` found the state moved since
 * its reads: nothing was written, and the whole write is worth running again.
 *
 * @example
 * isWriteConflict(new Error("D1_ERROR: bad JSON path: 'write conflict: view watermark moved'")); // → true
 */
export const isWriteConflict = (error: unknown): boolean =>
  messagesOf(error).includes(`${conflictMarker}: `);
