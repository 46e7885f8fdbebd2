import { AppError } from "../../../../errors/index.ts";
import type { SqlConnection, SqlDatabase, SqlRow, SqlValue } from "../connection.ts";
import { assertThat, isWriteConflict, type SqlStatement } from "../guard.ts";

/** A prepared D1 statement, as far as this driver uses it (workers-types' `D1PreparedStatement`). */
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** Cloudflare's `D1Database` binding, as far as this driver uses it. */
export interface D1Binding {
  prepare(sql: string): D1Statement;
  /** atomic: one transaction, each statement's rows in order */
  batch<T = Record<string, unknown>>(statements: D1Statement[]): Promise<Array<{ results?: T[] }>>;
}

// D1 has no interactive transactions: each statement commits alone, and only
// `batch()` is atomic. So every batch this driver writes also bumps a commit
// counter, read in the same batch as a unit of work's first query: a write
// transaction's batch starts by checking the counter is still that
// (`assertThat`), so it commits only onto the state its reads saw, else fails
// whole and the transaction runs again; a read snapshot reads it with each
// later query too, and runs again if it moved. No extra round trip either way.
const counter = "d1_commits";
const setUp = [
  `CREATE TABLE IF NOT EXISTS ${counter} (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)`,
  `INSERT OR IGNORE INTO ${counter} (id, n) VALUES (1, 0)`,
];
const readCounter: SqlStatement = { sql: `SELECT n FROM ${counter} WHERE id = 1`, args: [] };
const bump: SqlStatement = { sql: `UPDATE ${counter} SET n = n + 1 WHERE id = 1`, args: [] };
const unchangedSince = (n: number) =>
  assertThat(`(SELECT n FROM ${counter} WHERE id = 1) = ?`, [n], "the D1 database changed");

/** D1's SQLITE_MAX_COMPOUND_SELECT (SQLite's default is 500). */
const maxCompoundSelect = 5;

/** Attempts of a transaction or snapshot that keeps meeting other writers' commits. */
const maxAttempts = 12;

const statementOf = (d1: D1Binding, { sql, args }: SqlStatement) =>
  args.length > 0 ? d1.prepare(sql).bind(...args) : d1.prepare(sql);

async function rows(d1: D1Binding, sql: string, args: readonly SqlValue[]): Promise<SqlRow[]> {
  return (await statementOf(d1, { sql, args }).all()).results;
}

/**
 * Queries of one unit of work, each in one batch with a read of the commit
 * counter: before the first (what a write transaction's check compares
 * with), and after each later one when `tracked` (a snapshot is whole if the
 * counter after its last query is still the one before its first).
 */
function countedQueries(d1: D1Binding, tracked: boolean) {
  let first: number | null = null;
  let last: number | null = null;
  const counterIn = (result: { results?: SqlRow[] } | undefined) =>
    Number(result?.results?.[0]?.n ?? 0);
  return {
    async query(sql: string, args: readonly SqlValue[]): Promise<SqlRow[]> {
      if (first === null) {
        const [n, result] = await d1.batch<SqlRow>(
          [readCounter, { sql, args }].map((s) => statementOf(d1, s)),
        );
        first = counterIn(n);
        last = first;
        return result?.results ?? [];
      }
      if (!tracked) return rows(d1, sql, args);
      const [result, n] = await d1.batch<SqlRow>(
        [{ sql, args }, readCounter].map((s) => statementOf(d1, s)),
      );
      last = counterIn(n);
      return result?.results ?? [];
    },
    /** the counter before the first query; null before any */
    first: () => first,
    /** no commit landed between the first query and the last */
    whole: () => first === last,
  };
}

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(200, 2 ** attempt) * Math.random()));

const tooBusy = (cause: unknown) =>
  new AppError(
    "unavailable",
    "the D1 view database kept changing under this request; nothing was written, retry later",
    { cause },
  );

const connectionOver = (
  query: (sql: string, args: readonly SqlValue[]) => Promise<SqlRow[]>,
  rest: Pick<SqlConnection, "run" | "snapshot">,
): SqlConnection => ({
  all: async <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
    (await query(sql, args)) as R[],
  first: async <R extends SqlRow>(sql: string, args: readonly SqlValue[] = []) =>
    (await query(sql, args))[0] as R | undefined,
  maxCompoundSelect,
  ...rest,
});

/** Runs `fn` until its queries span no commit. */
async function snapshotOf<T>(d1: D1Binding, fn: (tx: SqlConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const counted = countedQueries(d1, true);
    const tx: SqlConnection = connectionOver(counted.query, {
      run: () => Promise.reject(new Error("a D1 read snapshot cannot write")),
      snapshot: (inner) => inner(tx),
    });
    const result = await fn(tx);
    if (counted.whole()) return result;
    if (attempt === maxAttempts) throw tooBusy(null);
    await pause(attempt);
  }
}

/**
 * One write transaction on D1: `fn` reads (outside any transaction) and
 * queues its writes, which go as one batch behind a check that nothing
 * committed since its first read; a batch that fails the check changed
 * nothing, and `fn` runs again on what is there now. A read after a queued
 * write fails loudly: it could not see that write.
 */
async function writeTransaction<T>(
  d1: D1Binding,
  fn: (tx: SqlConnection) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const counted = countedQueries(d1, false);
    const writes: SqlStatement[] = [];
    const tx: SqlConnection = connectionOver(
      (sql, args) => {
        if (writes.length > 0) {
          throw new Error(
            `a D1 write transaction read after writing (${sql.slice(0, 60)}…): its writes go as one batch at the end, so it would not see them`,
          );
        }
        return counted.query(sql, args);
      },
      {
        run: async (sql, args = []) => {
          writes.push({ sql, args });
        },
        snapshot: (inner) => inner(tx),
      },
    );
    const result = await fn(tx);
    if (writes.length === 0) return result;
    const read = counted.first();
    // blind writes (nothing read first) need no check
    const batch = [...(read === null ? [] : [unchangedSince(read)]), ...writes, bump];
    try {
      await d1.batch(batch.map((s) => statementOf(d1, s)));
      return result;
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
      if (attempt === maxAttempts) throw tooBusy(error);
      await pause(attempt);
    }
  }
}

/**
 * The view store's database on a Cloudflare D1 binding: reads are single D1
 * queries, a read snapshot is validated by the commit counter, and a write
 * transaction is its reads, then one atomic `batch()` of its writes behind a
 * compare-and-set of the counter. Creates its counter table on open: a new
 * database needs no migration.
 *
 * @example
 * const db = await openD1Database(env.VIEWS_DB);
 * const store = createSqlViewStore(db);
 */
export async function openD1Database(d1: D1Binding): Promise<SqlDatabase> {
  await d1.batch(setUp.map((sql) => d1.prepare(sql)));
  const reader: SqlConnection = connectionOver((sql, args) => rows(d1, sql, args), {
    // a write outside a transaction still moves the counter, so snapshots see it
    run: async (sql, args = []) => {
      await d1.batch([statementOf(d1, { sql, args }), statementOf(d1, bump)]);
    },
    snapshot: (fn) => snapshotOf(d1, fn),
  });
  return {
    kind: "d1",
    binding: "d1",
    reader,
    transaction: (mode, fn) => (mode === "read" ? snapshotOf(d1, fn) : writeTransaction(d1, fn)),
    // nothing to reopen: each query is a request to the binding
    reconnect: async () => {},
    // the binding belongs to the Worker's environment
    close() {},
  };
}
