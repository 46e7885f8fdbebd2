import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { viewDbSettings } from "../../shared/testing/viewDbSettings.ts";
import { openPrimaryDatabase } from "./primaryDatabase.ts";

const dir = mkdtempSync(join(tmpdir(), "primary-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("commits the primary's file, its log and its views, with an fsync per commit on every connection (FULL)", async () => {
  const db = await openPrimaryDatabase(`file:${join(dir, "primary.db")}`, {
    synchronous: "FULL",
    busyTimeoutMs: 1_000,
  });
  try {
    const full = expect.objectContaining({ journalMode: "wal", synchronous: 2 });
    expect(await viewDbSettings(db)).toEqual({ reader: full, write: full, read: full });
  } finally {
    db.close();
  }
});
