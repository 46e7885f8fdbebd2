import type { Primary } from "../db/openPrimary.ts";
import type { InlineViews } from "../views/inlineViews.ts";

/**
 * A hash of every row of every table in the primary's file (its own tables,
 * sqlite_sequence), in key order, and of the inline views' contents (their
 * digest recomputed from every record), once the views hold every commit.
 * Tests compare it before and after a refused request to prove nothing
 * changed.
 */
export async function databaseDigest(api: {
  primary: Primary;
  views: InlineViews;
}): Promise<string> {
  const views = (await api.views.store.digest({ fresh: true })).digest;
  return api.primary.reads.reader.snapshot(async (db) => {
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '__drizzle%' ORDER BY name",
    );
    const dumps: [string, unknown[][]][] = [["views", [[views]]]];
    for (const { name } of tables) {
      const rows = await db.all(`SELECT * FROM "${name}" ORDER BY 1`);
      dumps.push([name, rows.map((r) => Object.values(r))]);
    }
    const hash = await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(JSON.stringify(dumps)),
    );
    return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
  });
}
