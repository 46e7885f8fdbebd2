import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../connection.ts";
import { openLibsqlNative } from "./libsqlNative.ts";
import { turnSnapshot } from "./turnSnapshots.ts";

const dir = mkdtempSync(join(tmpdir(), "turn-snapshots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A view file with one value, opened with shared turn snapshots, and another process's connection to it. */
async function valueFile() {
  const path = join(dir, `views-${++files}.db`);
  const db = await openLibsqlNative(path, { turnSnapshots: true });
  opened.push(db);
  await db.transaction("write", async (tx) => {
    await tx.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    await tx.run("INSERT INTO t VALUES (1, 1)");
  });
  // what another process does to the file: a connection this thread's registry never sees
  const other = new Database(path);
  opened.push(other);
  const value = async (on: SqlDatabase = db) =>
    Number((await on.reader.first<{ v: number }>("SELECT v FROM t WHERE id = 1"))?.v);
  const writeElsewhere = (v: number) => other.prepare("UPDATE t SET v = ? WHERE id = 1").run(v);
  return { path, db, other, value, writeElsewhere };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** `valueFile`, read once at the start of a turn: that turn's snapshot is open. */
async function readThisTurn() {
  const f = await valueFile();
  await nextTurn();
  expect(await f.value()).toBe(1);
  return f;
}

describe("reads of one event-loop turn in one snapshot", () => {
  it("share the turn's snapshot, and see another process's commit from the next turn on", async () => {
    const f = await readThisTurn();
    f.writeElsewhere(2);
    expect(await f.value()).toBe(1);
    await nextTurn();
    expect(await f.value()).toBe(2);
  });

  it("end with a write transaction on the file, this connection's or another's in the thread", async () => {
    const f = await readThisTurn();
    const second = await openLibsqlNative(f.path);
    opened.push(second);
    await f.db.transaction("write", (tx) => tx.run("UPDATE t SET v = 2 WHERE id = 1"));
    expect(await f.value()).toBe(2);
    await second.transaction("write", (tx) => tx.run("UPDATE t SET v = 3 WHERE id = 1"));
    expect(await f.value()).toBe(3);
    // a read while the write is open shares the snapshot from before it: not after the commit
    await f.db.transaction("write", async (tx) => {
      await tx.run("UPDATE t SET v = 4 WHERE id = 1");
      expect(await f.value()).toBe(3);
    });
    expect(await f.value()).toBe(4);
  });

  it("never predate what a read transaction or a snapshot of the thread saw", async () => {
    // the reader's watermark routes reads: once anything here has seen a newer one,
    // no read may answer from an older snapshot
    const f = await readThisTurn();
    f.writeElsewhere(2);
    const seen = await f.db.reader.snapshot(async (tx) =>
      Number((await tx.first<{ v: number }>("SELECT v FROM t WHERE id = 1"))?.v),
    );
    expect(seen).toBe(2);
    expect(await f.value()).toBe(2);
    f.writeElsewhere(3);
    const read = await f.db.transaction("read", (tx) => tx.first<{ v: number }>("SELECT v FROM t"));
    expect(read?.v).toBe(3);
    expect(await f.value()).toBe(3);
  });

  it("hold no checkpoint back once the turn is over", async () => {
    const f = await readThisTurn();
    f.writeElsewhere(2);
    await nextTurn();
    const [busy, log, checkpointed] = f.other
      .prepare("PRAGMA wal_checkpoint(TRUNCATE)")
      .raw(true)
      .get() as number[];
    expect({ busy, log, checkpointed }).toEqual({ busy: 0, log: 0, checkpointed: 0 });
  });

  it("end before a write begins, so its checkpoint can restart the log", async () => {
    // A read transaction open as a write begins pins the log: the write's checkpoint cannot
    // finish and the next write cannot start the log over, so under reads and writes in
    // every turn it would only grow.
    const f = await valueFile();
    f.other.exec("PRAGMA wal_autocheckpoint = 1");
    await f.db.transaction("write", (tx) => tx.run("PRAGMA wal_autocheckpoint = 1"));
    await nextTurn();
    for (let i = 0; i < 50; i++) {
      expect(await f.value()).toBe(i + 1);
      await f.db.transaction("write", (tx) => tx.run("UPDATE t SET v = v + 1 WHERE id = 1"));
    }
    const frames = statSync(`${f.path}-wal`).size / 4_120;
    expect(frames).toBeLessThan(10);
  });

  it("runs a write on the reader outside the turn's snapshot", async () => {
    const f = await readThisTurn();
    f.writeElsewhere(2);
    await f.db.reader.run("UPDATE t SET v = v + 10 WHERE id = 1");
    expect(await f.value()).toBe(12);
  });
});

describe("a turn snapshot whose connection cannot end its transaction", () => {
  it("hands the connection over to be replaced and begins anew on the next read", async () => {
    const calls: string[] = [];
    let failCommit = true;
    const shared = turnSnapshot(join(dir, "broken.db"), {
      begin: () => calls.push("begin"),
      commit: () => {
        calls.push("commit");
        if (failCommit) throw new Error("disk I/O error");
      },
      broken: (error) => calls.push(`broken: ${(error as Error).message}`),
    });
    expect(shared.read(() => 1) + shared.read(() => 2)).toBe(3);
    await nextTurn();
    failCommit = false;
    shared.read(() => 3);
    shared.close();
    expect(calls).toEqual(["begin", "commit", "broken: disk I/O error", "begin", "commit"]);
  });
});
