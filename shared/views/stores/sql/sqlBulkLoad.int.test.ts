import { testBulkLoad } from "../../../testing/bulkLoadContract.ts";
import type { SqlConnection } from "./connection.ts";
import { openViewDb } from "./openSqlViewStore.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore } from "./sqlViewStore.ts";
import { viewTables } from "./tables.ts";
import { writeTransaction } from "./transactions.ts";

/**
 * Everything the database holds: its schema (a table or index a load left
 * behind shows) and every table's rows in order.
 */
async function contents(db: SqlConnection): Promise<unknown> {
  const schema = await db.all<{ type: string; name: string; sql: string | null }>(
    "SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
  );
  const rows: Record<string, string[]> = {};
  for (const { type, name } of schema) {
    if (type !== "table") continue;
    // as text, sorted: the same rows in any order compare equal, whatever the table's columns
    rows[name] = (await db.all(`SELECT * FROM ${name}`)).map((r) => JSON.stringify(r)).sort();
  }
  return { schema, rows };
}

testBulkLoad("SQL on :memory:, compared table by table", async () => {
  const db = await openViewDb(":memory:");
  await writeTransaction(db, (tx) => ensureViewSchema(tx, viewTables()));
  const store = createSqlViewStore(db, { ownsDatabase: true });
  return { store, contents: () => contents(db.reader), cleanup: () => store.close() };
});
