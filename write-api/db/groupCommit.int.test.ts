import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { type CommitDeps, commitCommands } from "../commands/commitCommands.ts";
import { timeOrderedIds } from "../commands/ids.ts";
import type { FaultHooks } from "../commands/runCommands.ts";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { openInlineViews } from "../views/inlineViews.ts";
import { openPrimary, type Primary } from "./openPrimary.ts";

// Calls made in one tick all queue before the writer's next turn, so they are
// one group: these tests know which writes shared a transaction.

const dirs: string[] = [];
const primaries: Primary[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const p of primaries.splice(0)) p.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const setup = async () => {
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-group-"));
  dirs.push(dir);
  const groups: number[] = [];
  const committed: number[] = [];
  const visibleAtWake: Promise<{ version: number; head: number }>[] = [];
  const primary = await openPrimary({
    url: `file:${join(dir, "primary.db")}`,
    onGroupCommitted: (size) => groups.push(size),
  });
  primaries.push(primary);
  const views = await openInlineViews(primary.events, {
    url: `file:${join(dir, "primary.views.db")}`,
  });
  stops.push(views.stop);
  const faults: FaultHooks = {};
  const deps: CommitDeps = {
    write: primary.write,
    ids: timeOrderedIds,
    idempotencyTtlMs: 60_000,
    onCommitted: (version) => {
      views.committed(version);
      committed.push(version);
      // what another connection sees when the relay wakes: the version must be there
      visibleAtWake.push(
        primary.reads.reader
          .first<{ head: number }>("SELECT coalesce(max(seq), 0) AS head FROM events")
          .then((r) => ({ version, head: Number(r?.head) })),
      );
    },
    faults,
  };
  const commit = (body: unknown, idempotency?: { key: string; requestHash: string }) =>
    commitCommands(deps, { commands: parseCommands(body), idempotency });
  await commit(categoryCreate("shoes"));
  groups.length = 0;
  committed.length = 0;
  visibleAtWake.length = 0;
  // through the view store's own port: its table names are its business
  const viewWatermark = () => views.store.watermark();
  return { primary, commit, groups, committed, faults, viewWatermark, visibleAtWake };
};

const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

const logOf = async (primary: Primary) =>
  (await primary.reads.reader.all("SELECT seq, aggregate_id AS id FROM events ORDER BY seq")).map(
    (r) => ({ seq: Number(r.seq), id: String(r.id) }),
  );

const slugs = async (primary: Primary) =>
  (await primary.reads.reader.all("SELECT slug FROM products ORDER BY slug")).map((r) =>
    String(r.slug),
  );

const gapFree = (log: { seq: number }[]) =>
  expect(log.map((e) => e.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));

const committedValue = <T>(r: PromiseSettledResult<T> | undefined): T => {
  if (r?.status !== "fulfilled") throw new Error(`expected a commit, got ${String(r?.reason)}`);
  return r.value;
};

describe("group commit", () => {
  it("commits the others when one request of a group conflicts, each with its own version", async () => {
    const { primary, commit, groups, committed, viewWatermark, visibleAtWake } = await setup();
    const [a, dup, c] = await settle([
      commit(productCreate("a", "shoes")),
      commit(productCreate("a-again", "shoes", { sku: "SKU-a" })),
      commit(productCreate("c", "shoes")),
    ]);
    expect(groups).toEqual([3]);
    expect(committedValue(a)).toMatchObject({ version: 2, replayed: false });
    expect(dup).toMatchObject({ status: "rejected", reason: { code: "duplicate", status: 409 } });
    expect(committedValue(c)).toMatchObject({ version: 3, replayed: false });
    expect(await slugs(primary)).toEqual(["a", "c"]);
    const log = await logOf(primary);
    gapFree(log);
    expect(log.at(-1)?.id).toBe(committedValue(c).results[0]?.id);
    // the inline views moved with the commits, not with the refused request
    expect(await viewWatermark()).toBe(3);
    // the relay hears of each commit once, after the group's COMMIT
    expect(committed.sort()).toEqual([2, 3]);
    for (const { version, head } of await Promise.all(visibleAtWake)) {
      expect(head).toBeGreaterThanOrEqual(version);
    }
  });

  it("lets one of two same-expectedVersion updates in a group win", async () => {
    const { primary, commit, groups } = await setup();
    const created = await commit(productCreate("race", "shoes"));
    const id = created.results[0]?.id;
    groups.length = 0;
    const update = (name: string) =>
      commit({ type: "product.update", id, name, expectedVersion: created.version });
    const [first, second] = await settle([update("First"), update("Second")]);
    expect(groups).toEqual([2]);
    expect(committedValue(first).version).toBe(created.version + 1);
    expect(second).toMatchObject({ status: "rejected", reason: { code: "version_conflict" } });
    const names = await primary.reads.reader.all("SELECT name FROM products");
    expect(names.map((r) => r.name)).toEqual(["First"]);
  });

  it.each<[string, keyof FaultHooks]>([
    ["after its event append", "afterEventAppend"],
    ["after its table change", "afterTableWrite"],
    ["after its idempotency record, before the commit", "beforeCommit"],
  ])("rolls back only the request that crashes %s", async (_where, point) => {
    const { primary, commit, groups, faults, viewWatermark } = await setup();
    let calls = 0;
    faults[point] = () => {
      calls++;
      if (calls === 2) throw new Error("injected crash");
    };
    const results = await settle([
      commit(productCreate("one", "shoes"), { key: "k-one", requestHash: "h1" }),
      commit(productCreate("two", "shoes"), { key: "k-two", requestHash: "h2" }),
      commit(productCreate("three", "shoes"), { key: "k-three", requestHash: "h3" }),
    ]);
    delete faults[point];
    expect(groups).toEqual([3]);
    expect(results[1]).toMatchObject({ status: "rejected", reason: { message: "injected crash" } });
    expect(committedValue(results[0]).version).toBe(2);
    expect(committedValue(results[2]).version).toBe(3);
    expect(await slugs(primary)).toEqual(["one", "three"]);
    gapFree(await logOf(primary));
    expect(await viewWatermark()).toBe(3);
    const keys = await primary.reads.reader.all("SELECT key FROM idempotency_keys ORDER BY key");
    expect(keys.map((r) => r.key)).toEqual(["k-one", "k-three"]);

    // The crashed request's key holds nothing: its retry runs, with the next seq.
    const retry = await commit(productCreate("two", "shoes"), { key: "k-two", requestHash: "h2" });
    expect(retry).toMatchObject({ version: 4, replayed: false });
  });

  it("fails every request of a group when the storage fails under one of them", async () => {
    const { primary, commit, groups } = await setup();
    const before = await logOf(primary);
    // Full disk, as SQLite sees it: the writer's connection may not grow the file.
    await primary.write(async (tx) => {
      const [row] = await tx.all<{ page_count: number }>("PRAGMA page_count");
      await tx.run(`PRAGMA max_page_count = ${Number(row?.page_count) + 2}`);
    });
    const big = {
      commands: Array.from({ length: 20 }, (_, i) =>
        productCreate(`big-${i}`, "shoes", { description: "x".repeat(5_000) }),
      ),
    };
    groups.length = 0;
    const results = await settle([
      commit(productCreate("small-1", "shoes")),
      commit(big),
      commit(productCreate("small-2", "shoes")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const r of results) expect(r).toMatchObject({ reason: { code: "unavailable" } });
    expect(groups).toEqual([]);
    expect(await logOf(primary)).toEqual(before);

    await primary.write((tx) => tx.run("PRAGMA max_page_count = 1073741823"));
    expect(await commit(productCreate("small-1", "shoes"))).toMatchObject({ version: 2 });
  });

  it("keeps 200 concurrent requests gap-free in bounded groups, each version its own last seq", async () => {
    const { primary, commit, groups, viewWatermark } = await setup();
    const results = await settle(
      Array.from({ length: 200 }, (_, i) =>
        commit(
          i % 10 === 0
            ? { commands: [productCreate(`p-${i}`, "shoes"), categoryCreate(`c-${i}`)] }
            : productCreate(`p-${i}`, "shoes"),
        ),
      ),
    );
    const bodies = results.map(committedValue);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(200);
    expect(Math.max(...groups)).toBeLessThanOrEqual(64);
    expect(groups.length).toBeLessThan(200);

    const log = await logOf(primary);
    expect(log).toHaveLength(1 + 200 + 20);
    gapFree(log);
    for (const body of bodies) {
      const own = log.filter((e) => body.results.some((r) => r.id === e.id));
      expect(own.at(-1)?.seq).toBe(body.version);
      expect(own.at(-1)?.id).toBe(body.results.at(-1)?.id);
    }
    expect(new Set(bodies.map((b) => b.version)).size).toBe(200);
    expect(await viewWatermark()).toBe(log.length);
  });
});

describe("group bounds", () => {
  it("closes a group at its size or weight, and runs a heavier write alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-group-"));
    dirs.push(dir);
    const groups: number[] = [];
    const primary = await openPrimary({
      url: `file:${join(dir, "primary.db")}`,
      maxGroupSize: 3,
      maxGroupWeight: 4,
      onGroupCommitted: (size) => groups.push(size),
    });
    primaries.push(primary);
    const insert = (key: string, weight: number) =>
      primary.write((tx) => tx.run("INSERT INTO meta (key, value) VALUES (?, 1)", [key]), {
        weight,
      });
    await Promise.all([
      insert("a", 2),
      insert("b", 2),
      insert("c", 2),
      insert("bulk", 5),
      insert("d", 1),
      insert("e", 1),
      insert("f", 1),
      insert("g", 1),
    ]);
    expect(groups).toEqual([2, 1, 1, 3, 1]);
    const keys = await primary.reads.reader.first("SELECT count(*) AS n FROM meta");
    expect(Number(keys?.n)).toBe(8);
  });
});

describe("idempotency keys within one group", () => {
  it("commits the first of two same-key requests and replays it to the second", async () => {
    const { primary, commit, groups, committed } = await setup();
    const key = { key: "order-1", requestHash: "same-body" };
    const [first, second] = await settle([
      commit(productCreate("idem", "shoes"), key),
      commit(productCreate("idem", "shoes"), key),
    ]);
    expect(groups).toEqual([2]);
    expect(committedValue(first)).toMatchObject({ version: 2, replayed: false, appended: 1 });
    // a replay cannot name what the first answer's write touched: its token folds to the version
    expect(committedValue(second)).toEqual({
      ...committedValue(first),
      replayed: true,
      appended: 0,
      scopes: null,
    });
    expect(await logOf(primary)).toHaveLength(2);
    expect(committed).toEqual([2]);
  });

  it("refuses a same-key request with another body, and commits the first", async () => {
    const { primary, commit, groups } = await setup();
    const [first, second] = await settle([
      commit(productCreate("mine", "shoes"), { key: "order-2", requestHash: "body-a" }),
      commit(productCreate("theirs", "shoes"), { key: "order-2", requestHash: "body-b" }),
    ]);
    expect(groups).toEqual([2]);
    expect(committedValue(first)).toMatchObject({ version: 2, replayed: false });
    expect(second).toMatchObject({
      status: "rejected",
      reason: { code: "idempotency_key_reused" },
    });
    expect(await slugs(primary)).toEqual(["mine"]);
  });

  it("runs the second afresh when the first same-key request of the group fails", async () => {
    const { primary, commit, groups } = await setup();
    const key = { key: "order-3", requestHash: "same-body" };
    const [first, second] = await settle([
      commit(productCreate("x", "nowhere"), key),
      commit(productCreate("x", "nowhere"), key),
    ]);
    expect(groups).toEqual([]);
    // Neither left a record: a failure is never replayed, each got its own answer.
    expect(first).toMatchObject({ status: "rejected", reason: { code: "unknown_reference" } });
    expect(second).toMatchObject({ status: "rejected", reason: { code: "unknown_reference" } });
    const keys = await primary.reads.reader.first("SELECT count(*) AS n FROM idempotency_keys");
    expect(Number(keys?.n)).toBe(0);
  });
});
