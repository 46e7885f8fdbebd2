import { readModelList } from "../../models/readModelList.ts";
import { type ViewSql, type ViewTables, viewSchemaVersion, viewTables } from "./tables.ts";

export interface ViewSchemaState {
  /** the views' watermark after the call */
  watermark: number;
  /** the layout version the namespace was created with */
  layout: number;
}

async function storedVersion(tx: ViewSql, t: ViewTables): Promise<number | null> {
  const meta = await tx.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [
    t.meta,
  ]);
  if (meta.length === 0) return null;
  const [row] = await tx.all<{ v: number }>(
    `SELECT schema_version AS v FROM ${t.meta} WHERE id = 1`,
  );
  return row ? Number(row.v) : null;
}

/**
 * Creates a namespace's view tables (prefixed `view_`, outside the primary's
 * drizzle-kit migrations) and its watermark row if missing. Never drops or
 * alters a table: a namespace built by an older layout stays readable while
 * its replacement is built beside it (`shared/views/generations/`), because
 * the cure for a new layout is a replay into a new namespace, never a
 * migration. Idempotent; run it inside a write transaction.
 *
 * @example
 * const { watermark } = await writeTransaction(db, (tx) => ensureViewSchema(tx, viewTables("g0f3…")));
 */
export async function ensureViewSchema(
  tx: ViewSql,
  t: ViewTables = viewTables(),
): Promise<ViewSchemaState> {
  const version = await storedVersion(tx, t);
  // Another layout's namespace is left exactly as it is (see `frozenStore`).
  // Read before anything is written: on D1 the writes below go as one batch after every read.
  const watermark = version === null ? 0 : await readWatermark(tx, t);
  if (version !== null && version !== viewSchemaVersion) return { watermark, layout: version };
  for (const ddl of t.ddl) await tx.run(ddl);
  for (const model of readModelList)
    for (const ddl of model.indexes?.sql?.(t) ?? []) await tx.run(ddl);
  await tx.run(`INSERT OR IGNORE INTO ${t.meta} (id, watermark, schema_version) VALUES (1, 0, ?)`, [
    viewSchemaVersion,
  ]);
  return { watermark, layout: version ?? viewSchemaVersion };
}

const readWatermark = async (tx: ViewSql, t: ViewTables) => {
  const [row] = await tx.all<{ w: number }>(`SELECT watermark AS w FROM ${t.meta} WHERE id = 1`);
  return Number(row?.w ?? 0);
};
