import { Hono } from "hono";
import type { QStashCore } from "./core.ts";
import { bearerAuth } from "./http/bearerAuth.ts";
import { errorBody, QStashHttpError } from "./http/errors.ts";
import { dlqRoutes } from "./routes/dlqRoutes.ts";
import { eventRoutes } from "./routes/eventRoutes.ts";
import { localRoutes } from "./routes/localRoutes.ts";
import { messageRoutes } from "./routes/messageRoutes.ts";
import { publishRoutes } from "./routes/publishRoutes.ts";
import { urlGroupRoutes } from "./routes/urlGroupRoutes.ts";

// Parts of QStash's API this server does not model; a clear 501 beats a silent no-op.
const UNSUPPORTED = [
  "/v2/enqueue/*",
  "/v2/queues",
  "/v2/queues/*",
  "/v2/schedules",
  "/v2/schedules/*",
  "/v2/flowControl/*",
  "/v2/globalParallelism",
  "/v2/workflows/*",
  "/v2/keys",
  "/v2/keys/*",
];

/**
 * The HTTP face of the server: QStash's v2 API for what the SDK calls, plus
 * the `/local/*` admin extras, all behind the bearer token except
 * `GET /local/health`.
 *
 * @example
 * const app = createQStashApp(createQStashCore({ token: "dev" }));
 * await app.request("/v2/topics", { headers: { Authorization: "Bearer dev" } });
 */
export const createQStashApp = (core: QStashCore, onError?: (error: unknown) => void): Hono => {
  const app = new Hono();
  app.get("/local/health", (c) => c.json({ ok: true }));
  app.use("/v2/*", bearerAuth(core.token));
  app.use("/local/*", bearerAuth(core.token));

  publishRoutes(core)(app);
  urlGroupRoutes(core)(app);
  messageRoutes(core)(app);
  dlqRoutes(core)(app);
  eventRoutes(core)(app);
  localRoutes(core)(app);

  for (const path of UNSUPPORTED) {
    app.all(path, (c) =>
      c.json(errorBody(`${c.req.path} is not supported by the local QStash server`), 501),
    );
  }
  app.notFound((c) => c.json(errorBody(`no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof QStashHttpError) return c.json(errorBody(error.message), error.status);
    (onError ?? console.error)(error);
    return c.json(errorBody("internal error of the local QStash server"), 500);
  });
  return app;
};
