import type { Hono } from "hono";
import { createLimitApp } from "./limitApp.ts";

// The limit app as a Worker (local/workerd serves limitWorker.toml, with
// LIMIT_BODIES=<json> as a var): the bodies arrive with the first request's env.
let app: Hono | undefined;

export default {
  fetch: (request: Request, env: { LIMIT_BODIES?: string }) => {
    app ??= createLimitApp(JSON.parse(env.LIMIT_BODIES ?? "{}") as Record<string, string>);
    return app.fetch(request);
  },
};
