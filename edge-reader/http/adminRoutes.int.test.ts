import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import { errorHandler, notFoundHandler } from "../../shared/http/errorResponses.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import { openViewDb } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion } from "../../shared/views/stores/sql/tables.ts";
import { adminRoutes } from "./adminRoutes.ts";

const token = "reader-admin-token-0123456789";
const opened: GenerationalStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function readerWith(adminToken: string | null) {
  const events = generateHistory(200, 11);
  const store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(await openViewDb(":memory:")),
    log: memoryEventSource(events),
    versions: readModelVersions,
    layout: viewSchemaVersion,
  });
  opened.push(store);
  await store.apply(events);
  let kicks = 0;
  const app = new Hono();
  app.onError(errorHandler(() => {}));
  app.notFound(notFoundHandler);
  adminRoutes({
    token: adminToken,
    generations: {
      store,
      kick: () => {
        kicks++;
        return undefined;
      },
    },
  })(app);
  const rebuild = (authorization?: string) =>
    app.request("http://reader/v1/admin/rebuild", {
      method: "POST",
      headers: authorization ? { authorization } : {},
    });
  return { store, rebuild, kicks: () => kicks };
}

describe("POST /v1/admin/rebuild on a reader", () => {
  it("is off without READER_ADMIN_TOKEN, and refuses missing or wrong tokens, changing nothing", async () => {
    const off = await readerWith(null);
    const res = await off.rebuild(`Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });

    const on = await readerWith(token);
    for (const auth of [undefined, "Bearer wrong-token-0123456789", `Basic ${token}`]) {
      const refused = await on.rebuild(auth);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(on.store.generation().building).toBeNull();
    expect(on.kicks()).toBe(0);
  });

  it("starts a build at the next epoch, which switches with the same digest", async () => {
    const { store, rebuild, kicks } = await readerWith(token);
    const before = store.generation();
    const digest = (await store.digest()).digest;
    const res = await rebuild(`Bearer ${token}`);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ generation: { building: { epoch: 1 } } });
    expect(kicks()).toBe(1);
    while (!(await store.buildStep())) {}
    expect(store.generation()).toMatchObject({ epoch: 1, building: null });
    expect(store.generation().active).not.toBe(before.active);
    expect((await store.digest()).digest).toBe(digest);
  });
});
