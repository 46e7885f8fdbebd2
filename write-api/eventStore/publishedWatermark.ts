import type { SqlConnection } from "../../shared/views/stores/sql/connection.ts";

const readValue = "SELECT coalesce((SELECT value FROM meta WHERE key = 'published'), 0) AS seq";
// Raises it, never lowers it: two relays racing after a restart cannot move it back.
const raiseValue = `INSERT INTO meta (key, value) VALUES ('published', ?)
  ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`;

/** The highest seq QStash has accepted as last stored, so a restart resumes there. */
export async function readPublished(reads: SqlConnection): Promise<number> {
  return Number((await reads.first<{ seq: number }>(readValue))?.seq ?? 0);
}

/** Stores it inside a write transaction the caller already has. */
export async function storePublished(tx: SqlConnection, seq: number): Promise<void> {
  await tx.run(raiseValue, [seq]);
}
