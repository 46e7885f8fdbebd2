import { describe, expect, it } from "vitest";
import { testBulkLoad } from "../../../testing/bulkLoadContract.ts";
import { treeCatalog } from "../../../testing/contract/statsAndNavigation.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { openD1Database } from "./drivers/d1.ts";
import { localD1ForSuite } from "./drivers/localD1.ts";
import { createSqlViewStore } from "./sqlViewStore.ts";

const local = localD1ForSuite();

const openStore = async () => {
  const { d1, release } = await local().take();
  const store = createSqlViewStore(await openD1Database(d1));
  return { d1, store, cleanup: release };
};

// Every D1 call here crosses from Node into workerd and back (a few ms), and a
// property run makes hundreds: 50 runs take about 45 s on 2 cores.
testViewStore(
  "SQL on D1 (Miniflare, workerd)",
  async () => {
    const { store, cleanup } = await openStore();
    return { store, cleanup };
  },
  { propertyRuns: 50 },
);

testBulkLoad("SQL on D1 (Miniflare, workerd)", async () => {
  const { store, cleanup } = await openStore();
  return { store, cleanup };
});

describe("SQL view store on D1", () => {
  it("applies a batch once when two stores on one database race for it", async () => {
    const { d1, store: a, cleanup } = await openStore();
    const b = createSqlViewStore(await openD1Database(d1));
    const { events } = treeCatalog().log;
    const results = await Promise.all([a.apply(events), b.apply(events), b.apply(events)]);
    expect(results.map((r) => r.status).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    expect((await a.digest({ fresh: true })).digest).toBe((await referenceFold(events)).digest);
    await cleanup();
  });

  it("renames a category with 1,000 products in one batch, under D1's value size limit", async () => {
    const log = new EventLog();
    const home = log.category("home", "Home");
    const lamps = log.category("lamps", "Lamps", home);
    for (let i = 0; i < 1_000; i++) {
      log.product({
        slug: `lamp-${i}`,
        name: `Lamp ${i}`,
        categoryId: lamps,
        description: "Ünïcödé ".repeat(200),
      });
    }
    const { store, cleanup } = await openStore();
    await store.apply(log.events);
    const rename = log.renameCategory(home, "House & Home");
    expect(await store.apply([rename])).toMatchObject({ status: "applied", watermark: rename.seq });
    const page = (await readsOf(store).productPage({ slug: "lamp-999" })).data;
    expect(page?.category.path.map((c) => c.name)).toEqual(["House & Home", "Lamps"]);
    expect((await store.digest({ fresh: true })).digest).toBe(
      (await referenceFold(log.events)).digest,
    );
    await cleanup();
  });
});
