import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { openPrimary, type Primary } from "./openPrimary.ts";

const dirs: string[] = [];
const primaries: Primary[] = [];
afterEach(() => {
  for (const p of primaries.splice(0)) p.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const setup = async (onBusyRetry?: (n: number) => void) => {
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-busy-"));
  dirs.push(dir);
  const url = `file:${join(dir, "primary.db")}`;
  const primary = await openPrimary({ url, busyTimeoutMs: 50, onBusyRetry });
  primaries.push(primary);
  // Another process's writer, as far as SQLite can tell: its own connection.
  const other = createClient({ url });
  const lock = await other.transaction("write");
  return { primary, other, lock };
};

const insertMeta = (primary: Primary, key: string) =>
  primary.write((tx) => tx.run("INSERT INTO meta (key, value) VALUES (?, 1)", [key]));

const metaKeys = async (primary: Primary) =>
  (await primary.reads.reader.all("SELECT key FROM meta ORDER BY key")).map((r) => r.key);

describe("write transactions under SQLITE_BUSY", () => {
  it("retry the whole transaction once the other writer lets go", async () => {
    let release: (() => Promise<void>) | undefined;
    const { primary, other, lock } = await setup((attempt) => {
      if (attempt === 2) void release?.();
    });
    release = () => lock.commit();
    await insertMeta(primary, "after-busy");
    expect(await metaKeys(primary)).toEqual(["after-busy"]);
    other.close();
  });

  it("give up with a clear 503 error and never leave the write lock held", async () => {
    const { primary, other, lock } = await setup();
    await expect(insertMeta(primary, "refused")).rejects.toMatchObject({
      code: "unavailable",
      status: 503,
    });
    await lock.rollback();
    other.close();
    await insertMeta(primary, "next");
    expect(await metaKeys(primary)).toEqual(["next"]);
    // and a third party can take the lock too: nothing was left open
    const third = createClient({ url: `file:${join(dirs[0] ?? "", "primary.db")}` });
    const tx = await third.transaction("write");
    await tx.rollback();
    third.close();
  });
});
