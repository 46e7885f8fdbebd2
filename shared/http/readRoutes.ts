import { type Context, Hono } from "hono";
import type { AnyReadModel } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import type { StoredRead, ViewStore } from "../views/viewStore.ts";

export type ServedBy = "replica" | "primary";

/** What a read route tells the middleware around it (the consistency layer), in Hono's typed context. */
export type ReadVariables = {
  /** the watermark the answer was read at */
  servedAt: number;
  /** the answer as sent, for a cache to keep */
  answer: { status: number; body: string };
};
export type ReadEnv = { Variables: ReadVariables };

/**
 * Answers a read: `{"<key>":<stored JSON>,"watermark":N}` spliced as text,
 * with the headers every read carries. A missing record is a 404 that still
 * says which watermark looked for it.
 */
function answer(c: Context<ReadEnv>, servedBy: ServedBy, model: AnyReadModel, read: StoredRead) {
  c.set("servedAt", read.watermark);
  c.header("X-Served-By", servedBy);
  c.header("X-Replica-Watermark", String(read.watermark));
  c.header("Content-Type", "application/json");
  if (read.body === null) {
    const error = { code: "not_found", message: model.notFound ?? "not found" };
    const body = JSON.stringify({ error, watermark: read.watermark });
    c.set("answer", { status: 404, body });
    return c.body(body, 404);
  }
  const body = `{"${model.key}":${read.body},"watermark":${read.watermark}}`;
  c.set("answer", { status: 200, body });
  return c.body(body, 200);
}

/**
 * The storefront read paths over a view store, one per read model. The edge
 * reader mounts them at `/v1`, the write API at `/v1/read` over its inline
 * views: same shapes both ways.
 *
 * @example
 * app.route("/v1", readRoutes(() => store, "replica"));
 */
export function readRoutes(store: () => ViewStore, servedBy: ServedBy): Hono<ReadEnv> {
  const routes = new Hono<ReadEnv>();
  for (const model of readModelList as readonly AnyReadModel[]) {
    routes.get(model.path, async (c) => {
      const plan = model.plan(model.input(c.req));
      return answer(c, servedBy, model, await store().read(model, plan));
    });
  }
  return routes;
}
