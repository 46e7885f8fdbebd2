import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { viewDbSettings } from "../../../testing/viewDbSettings.ts";
import { openViewDb } from "./openSqlViewStore.ts";

const dir = mkdtempSync(join(tmpdir(), "view-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("commits a view file in WAL without an fsync per commit and keeps temporary data in memory, on every connection it hands out", async () => {
  const db = await openViewDb(join(dir, "views.db"));
  try {
    const normal = { journalMode: "wal", synchronous: 1, tempStore: 2 };
    expect(await viewDbSettings(db)).toEqual({ reader: normal, write: normal, read: normal });
  } finally {
    db.close();
  }
});
