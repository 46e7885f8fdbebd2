import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordHash } from "../../../digest/index.ts";
import type { RecordKind } from "../../../projection/index.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { bulkBuild } from "../../bulkBuild.ts";
import { openSqlDatabase } from "./drivers/openSqlDatabase.ts";
import { openSqlViewStore } from "./openSqlViewStore.ts";
import { hashInRow, recordTables } from "./recordRows.ts";
import { viewTables } from "./tables.ts";

const dir = mkdtempSync(join(tmpdir(), "record-hashes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A catalog whose records of every kind exist, changed after they were first written. */
function history(): EventLog {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  const ids = [0, 1, 2].map((i) =>
    log.product({
      slug: `lamp-${i}`,
      name: `Oak lamp ${i}`,
      categoryId: lamps,
      attributes: { color: i === 0 ? "red" : "blue" },
    }),
  );
  log.stock(ids[0] as string, 5, 5);
  log.price(ids[1] as string, 1_999);
  log.renameCategory(home, "House");
  log.delete(ids[2] as string);
  return log;
}

// the one-row kinds whose row holds the record's JSON as `data`, by table and key column
const jsonRows = (t: ReturnType<typeof viewTables>): Array<[RecordKind, string, string]> =>
  Object.entries(recordTables(t)).flatMap(([kind, { table, columns }]) =>
    hashInRow(kind as RecordKind) && columns.includes("data")
      ? [[kind as RecordKind, table, columns[0] as string]]
      : [],
  );

/** Every stored hash of a view file, by where it is kept. */
async function storedHashes(path: string) {
  const db = await openSqlDatabase(`file:${path}`);
  try {
    const t = viewTables();
    const inRows: Array<{ kind: RecordKind; key: string; h: string; expected: string }> = [];
    for (const [kind, table, key] of jsonRows(t)) {
      const rows = await db.reader.all<{ k: string; data: string; h: string }>(
        `SELECT ${key} AS k, data, h FROM ${table}`,
      );
      for (const r of rows)
        inRows.push({ kind, key: r.k, h: r.h, expected: recordHash(kind, r.k, r.data) });
    }
    const listing = await db.reader.all<{ h: string }>(`SELECT h FROM ${t.listing}`);
    const table = await db.reader.all<{ kind: string }>(`SELECT kind FROM ${t.recordHash}`);
    return { inRows, listing, tableKinds: new Set(table.map((r) => r.kind)) };
  } finally {
    db.close();
  }
}

describe("SQL view store: record hashes", () => {
  it("keeps a one-row record's hash in its row, the hash of the JSON it stores, and only attribute hashes apart", async () => {
    const log = history();
    const path = join(dir, `views-${files++}.db`);
    const store = await openSqlViewStore(path);
    await store.apply(log.events);
    await store.close();

    const { inRows, listing, tableKinds } = await storedHashes(path);
    expect(new Set(inRows.map((r) => r.kind)).size).toBe(8);
    expect(inRows.length).toBeGreaterThan(8);
    for (const r of inRows) expect(r.h, `${r.kind} ${r.key}`).toBe(r.expected);
    expect(listing.length).toBe(2);
    for (const r of listing) expect(r.h).toMatch(/^[0-9a-f]{32}$/);
    expect([...tableKinds]).toEqual(["attribute"]);
  });

  it("writes the same hashes through a bulk load, whose kept digest a fresh walk and the reference agree with", async () => {
    const log = history();
    const path = join(dir, `views-${files++}.db`);
    const store = await openSqlViewStore(path);
    const source = {
      pull: async (after: number, limit: number) => ({
        events: log.after(after, limit),
        head: log.head,
      }),
    };
    await bulkBuild(source, store, { pageSize: 1_000 });
    const kept = (await store.digest()).digest;
    expect((await store.digest({ fresh: true })).digest).toBe(kept);
    expect(kept).toBe((await referenceFold(log.events)).digest);
    await store.close();

    const { inRows, tableKinds } = await storedHashes(path);
    for (const r of inRows) expect(r.h, `${r.kind} ${r.key}`).toBe(r.expected);
    expect([...tableKinds]).toEqual(["attribute"]);
  });
});
