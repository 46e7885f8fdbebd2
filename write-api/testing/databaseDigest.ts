import type { Client } from "@libsql/client";

const tables = ["categories", "products", "events", "idempotency_keys", "meta"] as const;

/**
 * A hash of every row of the primary's own tables, in key order. Tests compare
 * it before and after a refused request to prove nothing changed.
 */
export async function databaseDigest(client: Client): Promise<string> {
  const dumps = await client.batch(
    tables.map((t) => `SELECT * FROM ${t} ORDER BY 1`),
    "read",
  );
  const text = JSON.stringify(dumps.map((d) => d.rows.map((r) => Object.values(r))));
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
}
