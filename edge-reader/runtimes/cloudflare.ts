import type { ExecutionContext, Hono } from "hono";
import type { Env } from "../../shared/config/envReader.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import { createReaderApp, type Reader } from "../app.ts";
import { buildReader } from "../buildReader.ts";
import { reconcileOnce } from "../catchUp/reconcile.ts";
import { loadReaderConfig } from "../config.ts";
import { openWorkerStore } from "../stores/workerStore.ts";

/** vars and secrets are strings; a D1 database is a binding object */
type Bindings = Record<string, unknown>;
const varsOf = (env: Bindings): Env =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Env;

/** Events a cron tick or an admin rebuild works through before the Worker yields. */
const buildEventsPerTick = 20_000;

// Bindings arrive with the first request, so the reader is built then, once per isolate.
let built: Promise<{ app: Hono; reader: Reader }> | undefined;
// the built app, once there: later requests skip awaiting the promise
let ready: Hono | undefined;
const build = (env: Bindings) => {
  built ??= (async () => {
    const config = loadReaderConfig(varsOf(env), { store: "redis" });
    const source = httpEventSource({ url: config.writeApiUrl, readerToken: config.readerToken });
    const store = await openWorkerStore(config, env, source);
    // No timers outlive a request here: a kick is one bounded step, kept alive by the request's waitUntil.
    const kick = () => store.buildStep(buildEventsPerTick).catch(() => false);
    const reader = buildReader(config, store, "workerd", { store, kick });
    ready = createReaderApp(reader);
    return { app: ready, reader };
  })();
  built.catch(() => {
    built = undefined;
  });
  return built;
};

export default {
  fetch: async (request: Request, env: Bindings, ctx: ExecutionContext) =>
    (ready ?? (await build(env)).app).fetch(request, env, ctx),
  // The reconcile: the cron trigger in wrangler.toml pulls whatever pushes never brought,
  // compares the views with the primary's (self-heal), and moves a view build along.
  scheduled: (_event: unknown, env: Bindings, ctx: ExecutionContext) =>
    ctx.waitUntil(
      build(env).then(({ reader }) =>
        Promise.all([
          reconcileOnce(reader.catchUp, reader.selfHeal)().then(({ work }) => work),
          reader.generations?.store.buildStep(buildEventsPerTick).catch(() => false),
        ]),
      ),
    ),
};
