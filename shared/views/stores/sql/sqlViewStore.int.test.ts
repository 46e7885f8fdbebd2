import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { treeCatalog } from "../../../testing/contract/statsAndNavigation.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { openSqlViewStore } from "./openSqlViewStore.ts";

const dir = mkdtempSync(join(tmpdir(), "sql-views-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

testViewStore("SQL on a temp file", async () => {
  const path = join(dir, `views-${files++}.db`);
  const store = await openSqlViewStore(path);
  return {
    store,
    async cleanup() {
      await store.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    },
  };
});

// libsql gives `:memory:` a single connection; the store queues reads behind applies for it.
testViewStore("SQL on :memory:", async () => {
  const store = await openSqlViewStore(":memory:");
  return { store, cleanup: () => store.close() };
});

const tempPath = () => join(dir, `views-${files++}.db`);

describe("SQL view store on a file", () => {
  it("renames a category with 1,000 products: every page changes in one apply", async () => {
    const log = new EventLog();
    const home = log.category("home", "Home");
    const lamps = log.category("lamps", "Lamps", home);
    for (let i = 0; i < 1_000; i++)
      log.product({ slug: `lamp-${i}`, name: `Lamp ${i}`, categoryId: lamps });
    const store = await openSqlViewStore(tempPath());
    await store.apply(log.events);
    const rename = log.renameCategory(home, "House & Home");
    expect(await store.apply([rename])).toEqual({
      status: "applied",
      watermark: rename.seq,
      applied: 1,
    });
    for (let i = 0; i < 1_000; i++) {
      const page = (await readsOf(store).productPage({ slug: `lamp-${i}` })).data;
      expect(page?.category.path.map((c) => c.name)).toEqual(["House & Home", "Lamps"]);
    }
    expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
    await store.close();
  });

  it("reads the categories again when another store on the file applied since, not what it last left", async () => {
    const path = tempPath();
    const [a, b] = [await openSqlViewStore(path), await openSqlViewStore(path)];
    const log = new EventLog();
    const home = log.category("home", "Home");
    log.product({ slug: "lamp", name: "Lamp", categoryId: home });
    await a.apply(log.events);
    await b.apply([log.renameCategory(home, "House")]);
    log.product({ slug: "shade", name: "Shade", categoryId: home });
    await a.apply(log.events.slice(-1));
    const page = (await readsOf(a).productPage({ slug: "shade" })).data;
    expect(page?.category.path.map((c) => c.name)).toEqual(["House"]);
    expect((await a.digest()).digest).toBe((await referenceFold(log.events)).digest);
    await a.close();
    await b.close();
  });

  it("applies a batch once when two stores on one file race for it", async () => {
    const path = tempPath();
    const [a, b] = [await openSqlViewStore(path), await openSqlViewStore(path)];
    const { events } = treeCatalog().log;
    const results = await Promise.all([a.apply(events), b.apply(events), a.apply(events)]);
    expect(results.map((r) => r.status).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    expect((await b.digest()).digest).toBe((await referenceFold(events)).digest);
    await a.close();
    await b.close();
  });

  it("retries while another connection holds the write lock, then applies", async () => {
    const path = tempPath();
    const holder = createClient({ url: `file:${path}` });
    let retried!: () => void;
    const firstRetry = new Promise<void>((resolve) => {
      retried = resolve;
    });
    const store = await openSqlViewStore(path, {
      busyRetry: { budgetMs: 60_000, onRetry: () => retried() },
    });
    const lock = await holder.transaction("write");
    const applying = store.apply(treeCatalog().log.events);
    await firstRetry;
    await lock.rollback();
    expect(await applying).toMatchObject({ status: "applied", watermark: 9 });
    holder.close();
    await store.close();
  });

  it("gives up with a 503 after bounded retries and leaves no lock behind", async () => {
    const path = tempPath();
    const holder = createClient({ url: `file:${path}` });
    const store = await openSqlViewStore(path, { busyRetry: { budgetMs: 20, baseDelayMs: 1 } });
    const lock = await holder.transaction("write");
    await expect(store.apply(treeCatalog().log.events)).rejects.toMatchObject({
      code: "unavailable",
      status: 503,
    });
    await lock.rollback();
    // the failed attempts must not hold the lock: the holder writes, then the store applies
    await holder.execute("UPDATE view_meta SET watermark = watermark WHERE id = 1");
    expect(await store.apply(treeCatalog().log.events)).toMatchObject({ status: "applied" });
    holder.close();
    await store.close();
  });
});
