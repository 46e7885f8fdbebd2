import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { memoryEventSource } from "../../../events/eventSource.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { testViewNamespaces } from "../../../testing/generationsContract.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { openGenerationalStore } from "../../generations/generationalStore.ts";
import { readModelVersions } from "../../models/readModelVersions.ts";
import { openSqlViewStore, openViewDb } from "./openSqlViewStore.ts";
import { sqlViewNamespaces } from "./sqlNamespaces.ts";
import { viewSchemaVersion, viewTables } from "./tables.ts";

const dir = mkdtempSync(join(tmpdir(), "sql-namespaces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const tempPath = () => join(dir, `views-${files++}.db`);

testViewStore(
  "SQL in a namespace",
  async () => {
    const store = await openSqlViewStore(":memory:", { namespace: "g0123456789abcdef" });
    return { store, cleanup: () => store.close() };
  },
  { propertyRuns: 30 },
);

testViewNamespaces("SQL on a file", async () => {
  const path = tempPath();
  const handles = [await openViewDb(path)];
  const namespacesOf = (db: (typeof handles)[number]) => sqlViewNamespaces(db);
  return {
    namespaces: namespacesOf(handles[0] as (typeof handles)[number]),
    async second() {
      const db = await openViewDb(path);
      handles.push(db);
      return namespacesOf(db);
    },
    async ageLayout(namespace) {
      const db = handles[0] as (typeof handles)[number];
      await db.reader.run(`UPDATE ${viewTables(namespace).meta} SET schema_version = ?`, [
        viewSchemaVersion - 1,
      ]);
    },
    async cleanup() {
      for (const db of handles) db.close();
    },
  };
});

it("moves a database from before namespaces onto its generation and drops the old tables", async () => {
  const path = tempPath();
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  log.product({ slug: "desk-lamp", name: "Desk lamp", categoryId: lamps });
  const legacy = await openSqlViewStore(path);
  await legacy.apply(log.events);
  const digest = (await legacy.digest()).digest;
  await legacy.close();

  const db = await openViewDb(path);
  const namespaces = sqlViewNamespaces(db);
  expect(await namespaces.active()).toEqual({ namespace: "", epoch: 0 });
  const store = await openGenerationalStore({
    namespaces,
    log: memoryEventSource(log.events),
    versions: readModelVersions,
    layout: viewSchemaVersion,
  });
  expect((await readsOf(store).productPage({ slug: "desk-lamp" })).data?.name).toBe("Desk lamp");
  while (!(await store.buildStep())) {}
  expect(store.liveNamespace()).not.toBe("");
  expect(await namespaces.list()).toEqual([store.liveNamespace()]);
  expect((await store.digest()).digest).toBe(digest);
  expect((await readsOf(store).productPage({ slug: "desk-lamp" })).data?.name).toBe("Desk lamp");
  await store.close();
  db.close();
});

it("fails a build whose live views are past the log's head instead of pulling forever", async () => {
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  log.product({ slug: "desk-lamp", name: "Desk lamp", categoryId: lamps });
  log.product({ slug: "floor-lamp", name: "Floor lamp", categoryId: lamps });
  const path = tempPath();
  const legacy = await openSqlViewStore(path);
  await legacy.apply(log.events);
  await legacy.close();

  // The primary came back from an older copy: its log stops one event short of the views.
  const head = (log.events.at(-2) as { seq: number }).seq;
  const db = await openViewDb(path);
  const store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(db),
    log: memoryEventSource(log.events.slice(0, -1)),
    versions: readModelVersions,
    layout: viewSchemaVersion,
  });
  const step = store.buildStep(100_000);
  await expect(step).rejects.toThrow(
    `the live views are at seq ${head + 1} but the log ends at seq ${head}`,
  );
  expect(store.generation().lastError).toMatch(/log no longer has/);
  expect(store.liveNamespace()).toBe("");
  expect((await readsOf(store).productPage({ slug: "floor-lamp" })).data?.name).toBe("Floor lamp");
  await store.close();
  db.close();
});
