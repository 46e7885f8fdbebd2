import type { Primary } from "../db/openPrimary.ts";

/**
 * Drops the view tables a primary file held from before its views moved to a
 * database of their own (`view_registry` and every `view_*` table, full-text
 * ones first, so their shadow tables go with them): they are a fold of the
 * log the views' own file is built from, and would only take space. No table
 * of the primary's schema starts with `view_`. Returns how many were dropped.
 *
 * @example
 * await dropViewsInPrimary(primary); // → 0 on a primary that never held them
 */
export async function dropViewsInPrimary(primary: Primary): Promise<number> {
  const tables = await primary.reads.reader.all<{ name: string }>(
    `SELECT name FROM sqlite_master
     WHERE type = 'table' AND substr(name, 1, 5) = 'view_'
     ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC, name`,
  );
  if (tables.length === 0) return 0;
  await primary.write(async (tx) => {
    for (const { name } of tables) await tx.run(`DROP TABLE IF EXISTS "${String(name)}"`);
  });
  return tables.length;
}
