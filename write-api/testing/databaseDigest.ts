import type { Client } from "@libsql/client";

/**
 * A hash of every row of every table in the primary's file (its own tables,
 * the inline views, sqlite_sequence), in key order. Tests compare it before
 * and after a refused request to prove nothing changed.
 */
export async function databaseDigest(client: Client): Promise<string> {
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '__drizzle%' ORDER BY name",
  );
  const names = tables.rows.map((r) => String(r.name));
  const dumps = await client.batch(
    names.map((t) => `SELECT * FROM "${t}" ORDER BY 1`),
    "read",
  );
  const text = JSON.stringify(dumps.map((d, i) => [names[i], d.rows.map((r) => Object.values(r))]));
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
}
