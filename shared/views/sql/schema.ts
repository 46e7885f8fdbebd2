import { sql } from "drizzle-orm";
import { type ViewSql, type ViewTables, viewSchemaVersion, viewTables } from "./tables.ts";

export interface ViewSchemaState {
  /** the views' watermark after the call */
  watermark: number;
  /** true when tables of another schema version were dropped: replay the log from seq 0 */
  reset: boolean;
}

async function storedVersion(tx: ViewSql, t: ViewTables): Promise<number | null> {
  const meta = await tx.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${t.meta}`,
  );
  if (meta.length === 0) return null;
  const [row] = await tx.all<{ v: number }>(
    sql.raw(`SELECT schema_version AS v FROM ${t.meta} WHERE id = 1`),
  );
  return row ? Number(row.v) : null;
}

/**
 * Creates a namespace's view tables (prefixed `view_`, outside the primary's
 * drizzle-kit migrations) and its watermark row if missing. Tables of an older
 * `viewSchemaVersion` are dropped and recreated empty: the views are a fold of
 * the log, so the cure for a new layout is a replay, never a migration.
 * Idempotent; runs in one transaction (a savepoint if `db` is one already).
 *
 * @example
 * const { reset } = await ensureViewSchema(db);
 * if (reset) await replayLogInto(db); // the caller owns the log
 */
export async function ensureViewSchema(
  db: ViewSql,
  t: ViewTables = viewTables(),
): Promise<ViewSchemaState> {
  return db.transaction(
    async (tx) => {
      const version = await storedVersion(tx, t);
      const reset = version !== null && version !== viewSchemaVersion;
      if (reset) {
        for (const table of t.all) await tx.run(sql.raw(`DROP TABLE IF EXISTS ${table}`));
      }
      for (const ddl of t.ddl) await tx.run(sql.raw(ddl));
      await tx.run(
        sql`INSERT OR IGNORE INTO ${sql.identifier(t.meta)} (id, watermark, schema_version) VALUES (1, 0, ${viewSchemaVersion})`,
      );
      const [row] = await tx.all<{ w: number }>(
        sql.raw(`SELECT watermark AS w FROM ${t.meta} WHERE id = 1`),
      );
      return { watermark: Number(row?.w ?? 0), reset };
    },
    { behavior: "immediate" },
  );
}
