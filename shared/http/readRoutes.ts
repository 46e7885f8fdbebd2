import { type Context, type ErrorHandler, Hono } from "hono";
import type { RequestRecorder } from "../metrics/httpMetrics.ts";
import type { AnyReadModel } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import type { StoredRead, ViewStore } from "../views/viewStore.ts";

export type ServedBy = "replica" | "primary";

/**
 * How a read route answers a planned read: from a store as it stands (the
 * primary's inline views), or through a replica's consistency layer, which
 * decides where it is served. Every header goes on before the body, so the
 * response is built once.
 */
export type ReadAnswerer = (c: Context, model: AnyReadModel, plan: unknown) => Promise<Response>;

/** An answer's status and JSON text, spliced around the stored JSON. */
export interface AnswerText {
  status: 200 | 404;
  body: string;
}

/**
 * `{"<key>":<stored JSON>,"watermark":N}`, or the 404 that still says which
 * watermark looked for it.
 *
 * @example
 * answerText(productPage, { watermark: 7, body: '{"slug":"lamp"}' }); // → { status: 200, body: '{"product":{"slug":"lamp"},"watermark":7}' }
 */
export function answerText(model: AnyReadModel, read: StoredRead): AnswerText {
  if (read.body === null) {
    const error = { code: "not_found", message: model.notFound ?? "not found" };
    return { status: 404, body: JSON.stringify({ error, watermark: read.watermark }) };
  }
  return { status: 200, body: `{"${model.key}":${read.body},"watermark":${read.watermark}}` };
}

/**
 * Answers from a store as it stands, saying who served it at which watermark.
 *
 * @example
 * readRoutes(storeAnswerer(() => views.store, "primary"));
 */
export const storeAnswerer =
  (store: () => ViewStore, servedBy: ServedBy): ReadAnswerer =>
  async (_c, model, plan) => {
    const read = await store().read(model, plan);
    const { status, body } = answerText(model, read);
    // A plain object of headers: the Response is built once (c.header would make a Headers).
    return new Response(body, {
      status,
      headers: {
        "X-Served-By": servedBy,
        "X-Replica-Watermark": String(read.watermark),
        "Content-Type": "application/json",
      },
    });
  };

/**
 * How read routes mounted where no middleware runs record their requests
 * themselves: the `requestRecorder` the app's metrics middleware uses, the
 * app's error handler, and the prefix they are mounted at (for the route label).
 */
export interface SelfRecordedReads {
  record: RequestRecorder;
  onError: ErrorHandler;
  prefix: string;
}

/**
 * The storefront read paths, one per read model: each parses and plans its
 * request (a typed 4xx when it cannot), then `answer`s it. The edge reader
 * mounts them at `/v1` through its consistency layer, the write API at
 * `/v1/read` over its inline views: same shapes both ways. With `recorded`
 * each route times and counts itself as the metrics middleware would, an
 * error answered by the error handler included.
 *
 * @example
 * app.route("/v1", readRoutes(consistentReads(deps)));
 */
export function readRoutes(answer: ReadAnswerer, recorded?: SelfRecordedReads): Hono {
  const routes = new Hono();
  for (const model of readModelList as readonly AnyReadModel[]) {
    const read = (c: Context) => answer(c, model, model.plan(model.input(c.req)));
    if (!recorded) {
      routes.get(model.path, read);
      continue;
    }
    const { record, onError, prefix } = recorded;
    const route = `${prefix}${model.path}`;
    routes.get(model.path, async (c) => {
      const started = performance.now();
      let res: Response;
      try {
        res = await read(c);
      } catch (error) {
        res = await onError(error as Error, c);
      }
      record(c.req.method, route, res, started);
      return res;
    });
  }
  return routes;
}
