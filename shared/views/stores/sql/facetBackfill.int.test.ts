import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { memoryEventSource } from "../../../events/eventSource.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { openGenerationalStore } from "../../generations/generationalStore.ts";
import { readModelVersions } from "../../models/readModelVersions.ts";
import { createMemoryViewStore } from "../memory/memoryViewStore.ts";
import { openViewDb } from "./openSqlViewStore.ts";
import { sqlViewNamespaces } from "./sqlNamespaces.ts";
import { viewSchemaVersion, viewTables } from "./tables.ts";

const dir = mkdtempSync(join(tmpdir(), "facet-backfill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function catalog() {
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  log.product({
    slug: "desk-lamp",
    name: "Desk lamp",
    categoryId: lamps,
    attributes: { c: "red" },
  });
  log.product({ slug: "bed-lamp", name: "Bed lamp", categoryId: lamps, attributes: { c: "red" } });
  return log;
}

it("backfills the facets of views built before them in a new generation, serving the old meanwhile", async () => {
  const path = join(dir, "views.db");
  const log = catalog();
  const { productsByAttribute: _, attributeValues: __, ...before } = readModelVersions;
  const open = async (versions: Record<string, number>) => {
    const db = await openViewDb(path);
    const store = await openGenerationalStore({
      namespaces: sqlViewNamespaces(db),
      log: memoryEventSource(log.events),
      versions,
      layout: viewSchemaVersion,
    });
    return { db, store };
  };

  // Views as code without the facets read model left them: no attribute rows.
  const old = await open(before);
  expect(await old.store.apply(log.events)).toMatchObject({ status: "applied" });
  const oldNamespace = old.store.liveNamespace();
  await old.db.reader.run(`DELETE FROM ${viewTables(oldNamespace).attribute}`);
  await old.store.close();
  old.db.close();

  const { db, store } = await open(readModelVersions);
  expect(store.liveNamespace()).toBe(oldNamespace);
  expect(store.generation().building).not.toBeNull();
  // The old generation keeps answering: the page as before, the facet empty until the switch.
  expect((await readsOf(store).productPage({ slug: "desk-lamp" })).data?.name).toBe("Desk lamp");
  expect(await readsOf(store).productsByAttribute({ name: "c", value: "red", limit: 10 })).toEqual({
    watermark: 3,
    data: { items: [], nextCursor: null },
  });
  while (!(await store.buildStep())) {}
  expect(store.liveNamespace()).not.toBe(oldNamespace);
  const page = (await readsOf(store).productsByAttribute({ name: "c", value: "red", limit: 10 }))
    .data;
  expect(page?.items.map((p) => p.slug)).toEqual(["bed-lamp", "desk-lamp"]);
  const reference = createMemoryViewStore();
  await reference.apply(log.events);
  expect((await store.digest()).digest).toBe((await reference.digest()).digest);
  await store.close();
  db.close();
});
