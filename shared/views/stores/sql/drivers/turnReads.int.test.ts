import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../connection.ts";
import { openLibsqlNative } from "./libsqlNative.ts";
import type { SyncDatabaseOptions } from "./syncDatabase.ts";
import { turnReads } from "./turnReads.ts";
import { turnSnapshot } from "./turnSnapshots.ts";

const dir = mkdtempSync(join(tmpdir(), "turn-reads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

type Mode = NonNullable<SyncDatabaseOptions["turnReadsMode"]>;

/** A view file with one value, opened with turn reads, and another process's connection to it. */
async function valueFile(turnReadsMode: Mode = "batched") {
  const path = join(dir, `views-${++files}.db`);
  const db = await openLibsqlNative(path, { turnReads: true, turnReadsMode });
  opened.push(db);
  await db.transaction("write", async (tx) => {
    await tx.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    await tx.run("INSERT INTO t VALUES (1, 1)");
  });
  // what another process does to the file: a connection this thread never sees
  const other = new Database(path);
  opened.push(other);
  const value = async (on: SqlDatabase = db) =>
    Number((await on.reader.first<{ v: number }>("SELECT v FROM t WHERE id = 1"))?.v);
  const writeElsewhere = (v: number) => other.prepare("UPDATE t SET v = ? WHERE id = 1").run(v);
  return { path, db, other, value, writeElsewhere };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe.each<Mode>(["batched", "inPlace"])("the reads of one event-loop turn, %s", (mode) => {
  it("never predate what a read transaction or a snapshot of the thread saw", async () => {
    // the reader's watermark routes reads: once anything here has seen a newer one,
    // no read may answer from an older snapshot
    const f = await valueFile(mode);
    expect(await f.value()).toBe(1);
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
    const f = await valueFile(mode);
    expect(await f.value()).toBe(1);
    f.writeElsewhere(2);
    await nextTurn();
    const [busy, log, checkpointed] = f.other
      .prepare("PRAGMA wal_checkpoint(TRUNCATE)")
      .raw(true)
      .get() as number[];
    expect({ busy, log, checkpointed }).toEqual({ busy: 0, log: 0, checkpointed: 0 });
  });

  it("let a write's checkpoint restart the log", async () => {
    // A read transaction open as a write begins pins the log: the write's checkpoint cannot
    // finish and the next write cannot start the log over, so under reads and writes in
    // every turn it would only grow.
    const f = await valueFile(mode);
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

  it("leave a write on the reader to run at once, on its own", async () => {
    const f = await valueFile(mode);
    expect(await f.value()).toBe(1);
    f.writeElsewhere(2);
    await f.db.reader.run("UPDATE t SET v = v + 10 WHERE id = 1");
    expect(await f.value()).toBe(12);
  });
});

describe("batched turn reads", () => {
  it("run once the turn's I/O is handled, together, in one read transaction", async () => {
    const f = await valueFile();
    const c = new Database(f.path);
    opened.push(c);
    const v = () => (c.prepare("SELECT v FROM t WHERE id = 1").get() as { v: number }).v;
    const turn = turnReads({
      begin: () => c.exec("BEGIN"),
      commit: () => c.exec("COMMIT"),
      broken: (error) => {
        throw error;
      },
    });
    const first = turn.read(() => {
      const seen = v();
      f.writeElsewhere(6);
      return seen;
    });
    const second = turn.read(v);
    // queued, not run: both see this commit, and the second not the one the first makes
    f.writeElsewhere(5);
    expect([await first, await second]).toEqual([5, 5]);
    expect(await turn.read(v)).toBe(6);
  });

  it("answer from the file as it is when they run: this thread's commits and another process's", async () => {
    const f = await valueFile();
    const queued = f.value();
    await f.db.transaction("write", (tx) => tx.run("UPDATE t SET v = 2 WHERE id = 1"));
    expect(await queued).toBe(2);
    f.writeElsewhere(3);
    expect(await f.value()).toBe(3);
  });

  it("fail one by one: a read that throws leaves the others of its turn their answers", async () => {
    const f = await valueFile();
    const [bad, good] = await Promise.allSettled([
      f.db.reader.first("SELECT missing FROM t"),
      f.value(),
    ]);
    expect(bad.status === "rejected" && String(bad.reason)).toMatch(/no such column: missing/);
    expect(good).toEqual({ status: "fulfilled", value: 1 });
  });
});

describe("batched turn reads on a connection that cannot begin or end its transaction", () => {
  it("hand the connection over to be replaced and still answer the turn's reads", async () => {
    const calls: string[] = [];
    let fail: "begin" | "commit" | null = "commit";
    const turn = turnReads({
      begin: () => {
        calls.push("begin");
        if (fail === "begin") throw new Error("disk I/O error");
      },
      commit: () => {
        calls.push("commit");
        if (fail === "commit") throw new Error("disk I/O error");
      },
      broken: (error) => calls.push(`broken: ${(error as Error).message}`),
    });
    expect(await Promise.all([turn.read(() => 1), turn.read(() => 2)])).toEqual([1, 2]);
    fail = "begin";
    expect(await turn.read(() => 3)).toBe(3);
    fail = null;
    expect(await turn.read(() => 4)).toBe(4);
    expect(calls).toEqual([
      "begin",
      "commit",
      "broken: disk I/O error",
      "begin",
      "broken: disk I/O error",
      "begin",
      "commit",
    ]);
  });
});

/** `valueFile`, read once at the start of a turn: that turn's snapshot is open. */
async function readThisTurn() {
  const f = await valueFile("inPlace");
  await nextTurn();
  expect(await f.value()).toBe(1);
  return f;
}

describe("turn reads in place", () => {
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
