import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createBulkFold } from "../../../projection/bulkFold.ts";
import { testBulkLoad } from "../../../testing/bulkLoadContract.ts";
import { EventLog } from "../../../testing/eventLog.ts";
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

const dir = mkdtempSync(join(tmpdir(), "sql-bulk-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("sorts on file while it loads and leaves the writer's settings as it found them", async () => {
  const db = await openViewDb(join(dir, "views.db"));
  const settings = (tx: SqlConnection) =>
    Promise.all(
      ["temp_store", "mmap_size", "cache_size"].map(async (name) =>
        Number(Object.values((await tx.all(`PRAGMA ${name}`))[0] ?? {})[0]),
      ),
    );
  // what each write transaction of the load ran under, read as it ends
  const seen: number[][] = [];
  const store = createSqlViewStore(db, {
    ownsDatabase: true,
    write: (fn) =>
      writeTransaction(db, async (tx) => {
        const result = await fn(tx);
        seen.push(await settings(tx));
        return result;
      }),
  });
  try {
    const before = await writeTransaction(db, settings);
    const log = new EventLog();
    const home = log.category("home", "Home");
    for (const slug of ["a", "b", "c"])
      log.product({ slug, name: `Lamp ${slug}`, categoryId: home });
    const fold = createBulkFold();
    fold.add(log.events);
    await store.bulkLoad?.(fold.records(1), fold.watermark);
    const temp = seen.map(([t]) => t);
    // the first two empty the namespace and read the settings; from the next, which sets them,
    // the chunks, postings and indexes sort on file; the last puts them back
    expect(before[0]).toBe(2);
    expect(temp.slice(2, -1)).toEqual(Array(temp.length - 3).fill(1));
    expect(temp.length - 3).toBeGreaterThan(3);
    expect(await writeTransaction(db, settings)).toEqual(before);
  } finally {
    await store.close();
  }
});
