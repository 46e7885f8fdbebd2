import type { Client } from "@libsql/client";
import { sql } from "drizzle-orm";
import type { WriteTransaction } from "../db/writeTransactions.ts";

const key = "published";

/** The highest seq QStash has accepted, kept in the primary so a restart resumes there. */
export async function readPublished(client: Client): Promise<number> {
  const result = await client.execute({ sql: "SELECT value FROM meta WHERE key = ?", args: [key] });
  return Number(result.rows[0]?.value ?? 0);
}

/** Raises it, never lowers it: two relays racing after a restart cannot move it back. */
export async function advancePublished(write: WriteTransaction, seq: number): Promise<void> {
  await write((tx) =>
    tx.run(
      sql`INSERT INTO meta (key, value) VALUES (${key}, ${seq})
          ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`,
    ),
  );
}
