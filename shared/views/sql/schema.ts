import { sql } from "drizzle-orm";
import { type ViewSql, viewDdl, viewSchemaVersion, viewTableNames } from "./tables.ts";

export interface ViewSchemaState {
  /** the views' watermark after the call */
  watermark: number;
  /** true when tables of another schema version were dropped: replay the log from seq 0 */
  reset: boolean;
}

async function storedVersion(tx: ViewSql): Promise<number | null> {
  const meta = await tx.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'view_meta'`,
  );
  if (meta.length === 0) return null;
  const [row] = await tx.all<{ v: number }>(
    sql`SELECT schema_version AS v FROM view_meta WHERE id = 1`,
  );
  return row ? Number(row.v) : null;
}

/**
 * Creates the view tables (prefixed `view_`, outside the primary's drizzle-kit
 * migrations) and the watermark row if missing. Tables of an older
 * `viewSchemaVersion` are dropped and recreated empty: the views are a fold of
 * the log, so the cure for a new layout is a replay, never a migration.
 * Idempotent; runs in one transaction (a savepoint if `db` is one already).
 *
 * @example
 * const { reset } = await ensureViewSchema(db);
 * if (reset) await replayLogInto(db); // the caller owns the log
 */
export async function ensureViewSchema(db: ViewSql): Promise<ViewSchemaState> {
  return db.transaction(
    async (tx) => {
      const version = await storedVersion(tx);
      const reset = version !== null && version !== viewSchemaVersion;
      if (reset) {
        for (const table of viewTableNames) await tx.run(sql.raw(`DROP TABLE IF EXISTS ${table}`));
      }
      for (const ddl of viewDdl) await tx.run(sql.raw(ddl));
      await tx.run(
        sql`INSERT OR IGNORE INTO view_meta (id, watermark, schema_version) VALUES (1, 0, ${viewSchemaVersion})`,
      );
      const [row] = await tx.all<{ w: number }>(
        sql`SELECT watermark AS w FROM view_meta WHERE id = 1`,
      );
      return { watermark: Number(row?.w ?? 0), reset };
    },
    { behavior: "immediate" },
  );
}
