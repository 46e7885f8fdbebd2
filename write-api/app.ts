import { Hono } from "hono";
import type { ConsistencyTokens } from "../shared/consistency/consistencyToken.ts";
import { requireBearer } from "../shared/http/bearerAuth.ts";
import {
  errorHandler,
  type FaultReporter,
  notFoundHandler,
} from "../shared/http/errorResponses.ts";
import { readRoutes } from "../shared/http/readRoutes.ts";
import { httpMetrics } from "../shared/metrics/httpMetrics.ts";
import type { Metrics } from "../shared/metrics/metrics.ts";
import { openApiRoutes, writeApiDocument } from "../shared/openapi/index.ts";
import type { CommitDeps } from "./commands/commitCommands.ts";
import type { IdSource } from "./commands/decide.ts";
import type { FaultHooks } from "./commands/runCommands.ts";
import type { Primary } from "./db/openPrimary.ts";
import { commandRoutes } from "./http/commandRoutes.ts";
import { eventRoutes } from "./http/eventRoutes.ts";
import { statusRoutes } from "./http/statusRoutes.ts";
import { inlineViews } from "./views/inlineViews.ts";
import { createWriteApiMetrics } from "./writeApiMetrics.ts";

export interface WriteApiSettings {
  adminToken: string;
  readerToken: string;
  consistencyTtlMs: number;
  bodyLimitBytes: number;
  idempotencyTtlMs: number;
}

export interface WriteApiDeps {
  primary: Primary;
  settings: WriteApiSettings;
  tokens: ConsistencyTokens;
  ids: IdSource;
  onCommitted?: CommitDeps["onCommitted"];
  faults?: FaultHooks;
  reportFault?: FaultReporter;
  /** shared with the relay and the primary's retry hook; one is made when absent */
  metrics?: Metrics;
}

/**
 * The write API as a Hono app; every runtime entry builds the deps and serves it.
 *
 * @example
 * const app = createWriteApi({ primary, settings, tokens, ids: randomIds });
 * await app.request("http://localhost/healthz");
 */
export function createWriteApi(deps: WriteApiDeps): Hono {
  const { settings } = deps;
  const views = inlineViews(deps.primary);
  const app = new Hono();
  app.onError(errorHandler(deps.reportFault ?? ((e) => console.error(e))));
  app.notFound(notFoundHandler);

  const metrics = deps.metrics ?? createWriteApiMetrics();
  app.use("*", httpMetrics(metrics));
  metrics.gauge("cqrs_log_head", "highest committed seq", async () => {
    const head = await deps.primary.readClient.execute(
      "SELECT coalesce(max(seq), 0) AS v FROM events",
    );
    return Number(head.rows[0]?.v ?? 0);
  });
  app.get("/metrics", async (c) =>
    c.text(await metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );
  app.get("/healthz", (c) => c.json({ ok: true }));
  openApiRoutes(writeApiDocument())(app);
  app.use(
    "/v1/commands",
    requireBearer(() => [settings.adminToken], "admin"),
  );
  // The admin token reads the log too: an operator debugging a reader needs it.
  app.use(
    "/v1/events",
    requireBearer(() => [settings.readerToken, settings.adminToken], "reader"),
  );

  commandRoutes({
    write: deps.primary.write,
    ids: deps.ids,
    idempotencyTtlMs: settings.idempotencyTtlMs,
    project: views.project,
    onCommitted: deps.onCommitted,
    faults: deps.faults,
    tokens: deps.tokens,
    metrics,
    consistencyTtlMs: settings.consistencyTtlMs,
    bodyLimitBytes: settings.bodyLimitBytes,
  })(app);
  eventRoutes(deps.primary)(app);
  statusRoutes(deps.primary, views.store)(app);
  // Readers fall back here for reads they cannot serve yet: same paths, same shapes.
  app.use(
    "/v1/read/*",
    requireBearer(() => [settings.readerToken, settings.adminToken], "reader"),
  );
  app.route(
    "/v1/read",
    readRoutes(() => views.store, "primary"),
  );
  return app;
}
