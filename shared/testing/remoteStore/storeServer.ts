// Test support, run as a program under Bun or Deno (`bun storeServer.ts`,
// `deno run -A storeServer.ts`): serves SQL view stores on the runtime's own
// binding (`openSqlDatabase`'s choice there) over HTTP, so vitest on Node can
// hold them to the one contract suite through `remoteViewStore`. Prints
// `{"port":N}` once listening; loopback only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import type { StoredEvent } from "../../events/types.ts";
import type { AnyReadModel } from "../../views/models/readModel.ts";
import { readModelList } from "../../views/models/readModelList.ts";
import { openSqlViewStore, openViewDb } from "../../views/stores/sql/openSqlViewStore.ts";
import type { ViewStore } from "../../views/viewStore.ts";
import { viewDbSettings } from "../viewDbSettings.ts";

declare const Bun: {
  serve(o: { port: number; hostname: string; fetch: unknown }): { port: number };
};
declare const Deno: {
  serve(
    o: { port: number; hostname: string; onListen(a: { port: number }): void },
    fetch: unknown,
  ): unknown;
};

const dir = mkdtempSync(join(tmpdir(), "store-server-"));
const stores = new Map<string, { store: ViewStore; path: string }>();
const models = new Map((readModelList as readonly AnyReadModel[]).map((m) => [m.name, m]));
let next = 0;

const storeOf = (id: string) => {
  const found = stores.get(id);
  if (!found) throw new Error(`no store ${id}`);
  return found.store;
};

// Errors travel as data: the client rethrows them with their code and status.
const failure = (error: unknown) => {
  const e = error as { name?: string; message?: string; code?: string; status?: number };
  return { error: { name: e.name, message: e.message, code: e.code, status: e.status } };
};

const app = new Hono();
app.onError((error, c) => c.json(failure(error), 500));
// Which binding the stores here run on: what the runtime's auto choice opened.
app.get("/binding", async (c) => {
  const db = await openViewDb(":memory:");
  db.close();
  return c.json({ binding: db.binding });
});
// How a view file here commits, on each kind of connection it hands out.
app.get("/file-settings", async (c) => {
  const path = join(dir, `settings-${next++}.db`);
  const db = await openViewDb(path);
  try {
    return c.json(await viewDbSettings(db));
  } finally {
    db.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  }
});
app.post("/stores", async (c) => {
  const { memory } = (await c.req.json()) as { memory?: boolean };
  const id = String(next++);
  const path = memory ? ":memory:" : join(dir, `views-${id}.db`);
  stores.set(id, { store: await openSqlViewStore(path), path });
  return c.json({ id });
});
app.delete("/stores/:id", async (c) => {
  const found = stores.get(c.req.param("id"));
  if (found) {
    stores.delete(c.req.param("id"));
    await found.store.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${found.path}${suffix}`, { force: true });
  }
  return c.json({ ok: true });
});
app.post("/stores/:id/apply", async (c) =>
  c.json(await storeOf(c.req.param("id")).apply((await c.req.json()) as StoredEvent[])),
);
app.get("/stores/:id/watermark", async (c) =>
  c.json({ watermark: await storeOf(c.req.param("id")).watermark() }),
);
app.get("/stores/:id/digest", async (c) =>
  c.json(await storeOf(c.req.param("id")).digest({ fresh: c.req.query("fresh") === "1" })),
);
app.post("/stores/:id/read", async (c) => {
  const { model, plan } = (await c.req.json()) as { model: string; plan: unknown };
  const found = models.get(model);
  if (!found) throw new Error(`no read model ${model}`);
  return c.json(await storeOf(c.req.param("id")).read(found, plan));
});

const listening = (port: number) => console.log(JSON.stringify({ port }));
if (typeof Bun !== "undefined") {
  listening(Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch }).port);
} else {
  Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => listening(port) },
    app.fetch,
  );
}
