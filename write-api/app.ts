import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { ConsistencyTokens } from "../shared/consistency/consistencyToken.ts";
import type { Hashing } from "../shared/crypto/hashing.ts";
import { requireBearer } from "../shared/http/bearerAuth.ts";
import {
  errorHandler,
  type FaultReporter,
  notFoundHandler,
} from "../shared/http/errorResponses.ts";
import { readRoutes, storeAnswerer } from "../shared/http/readRoutes.ts";
import { type Logger, silentLogger } from "../shared/logging/logger.ts";
import { httpMetrics, requestRecorder } from "../shared/metrics/httpMetrics.ts";
import type { Metrics } from "../shared/metrics/metrics.ts";
import { withAdminPaths } from "../shared/openapi/adminPaths.ts";
import { openApiRoutes, writeApiDocument } from "../shared/openapi/index.ts";
import type { CommitDeps } from "./commands/commitCommands.ts";
import type { IdSource } from "./commands/decide.ts";
import type { FaultHooks } from "./commands/runCommands.ts";
import { withDashboardPaths } from "./dashboard/dashboardPaths.ts";
import { dashboardRoutes } from "./dashboard/dashboardRoutes.ts";
import type { DashboardSettings } from "./dashboard/dashboardSettings.ts";
import type { Primary } from "./db/openPrimary.ts";
import { readPublished } from "./eventStore/publishedWatermark.ts";
import { adminRoutes } from "./http/adminRoutes.ts";
import { commandRoutes } from "./http/commandRoutes.ts";
import { eventRoutes } from "./http/eventRoutes.ts";
import { statusRoutes } from "./http/statusRoutes.ts";
import type { InlineViews } from "./views/inlineViews.ts";
import { createWriteApiMetrics } from "./writeApiMetrics.ts";

export interface WriteApiSettings {
  adminToken: string;
  readerToken: string;
  consistencyTtlMs: number;
  /** tokens name the read scopes a write changed (`KEYED_TOKENS`); default on */
  keyedTokens?: boolean;
  bodyLimitBytes: number;
  idempotencyTtlMs: number;
  /** absent: the dashboard shows the primary only */
  dashboard?: DashboardSettings;
}

export interface WriteApiDeps {
  /** the primary's inline views, opened by `openInlineViews` */
  views: InlineViews;
  /** gets the background view builder going now, after `POST /v1/admin/rebuild` */
  kickViewBuild?: () => void;
  primary: Primary;
  settings: WriteApiSettings;
  tokens: ConsistencyTokens;
  ids: IdSource;
  onCommitted?: CommitDeps["onCommitted"];
  /** the relay's published watermark; absent: the one last stored in the primary */
  published?: () => number;
  faults?: FaultHooks;
  reportFault?: FaultReporter;
  /** shared with the relay and the primary's retry hook; one is made when absent */
  metrics?: Metrics;
  /** how bearer tokens are hashed; Web Crypto when absent, `nodeHashing` on server runtimes */
  hashing?: Hashing;
  /** structured logs (command committed…); silent when absent */
  log?: Logger;
  /** aborted when the app is shut down: stops what it runs on timers (the dashboard's history sampler) */
  signal?: AbortSignal;
}

/**
 * The write API as a Hono app; every runtime entry builds the deps and serves it.
 *
 * @example
 * const app = createWriteApi({ primary, settings, tokens, ids: timeOrderedIds });
 * await app.request("http://localhost/healthz");
 */
export function createWriteApi(deps: WriteApiDeps): Hono {
  const { settings } = deps;
  const views = deps.views;
  const app = new Hono();
  app.onError(errorHandler(deps.reportFault ?? ((e) => console.error(e))));
  app.notFound(notFoundHandler);
  // first, so every answer (errors too) echoes it; a sane incoming id is kept, else a UUID
  app.use("*", requestId({ limitLength: 200 }));

  const metrics = deps.metrics ?? createWriteApiMetrics();
  app.use("*", httpMetrics(requestRecorder(metrics)));
  metrics.gauge("cqrs_log_head", "highest committed seq", () => deps.primary.events.head());
  const published = async () =>
    deps.published?.() ?? (await readPublished(deps.primary.reads.reader));
  app.get("/metrics", async (c) =>
    c.text(await metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );
  app.get("/healthz", (c) => c.json({ ok: true }));
  openApiRoutes(withAdminPaths(withDashboardPaths(writeApiDocument()), "ADMIN_TOKEN"))(app);
  app.use(
    "/v1/commands",
    requireBearer(() => [settings.adminToken], "admin", deps.hashing),
  );
  // The admin token reads the log too: an operator debugging a reader needs it.
  app.use(
    "/v1/events",
    requireBearer(() => [settings.readerToken, settings.adminToken], "reader", deps.hashing),
  );

  commandRoutes({
    write: deps.primary.write,
    ids: deps.ids,
    idempotencyTtlMs: settings.idempotencyTtlMs,
    onCommitted: (version) => {
      views.committed(version);
      deps.onCommitted?.(version);
    },
    faults: deps.faults,
    tokens: deps.tokens,
    metrics,
    consistencyTtlMs: settings.consistencyTtlMs,
    keyedTokens: settings.keyedTokens ?? true,
    bodyLimitBytes: settings.bodyLimitBytes,
    log: deps.log ?? silentLogger,
  })(app);
  eventRoutes(deps.primary)(app);
  statusRoutes({ log: deps.primary.events, views: views.store, published })(app);
  app.use(
    "/v1/admin/*",
    requireBearer(() => [settings.adminToken], "admin", deps.hashing),
  );
  adminRoutes({ views: views.store, kick: deps.kickViewBuild })(app);
  dashboardRoutes({
    adminToken: settings.adminToken,
    settings: settings.dashboard,
    log: deps.primary.events,
    published,
    views: views.store,
    signal: deps.signal,
  })(app);
  // Readers fall back here for reads they cannot serve yet: same paths, same shapes.
  app.use(
    "/v1/read/*",
    requireBearer(() => [settings.readerToken, settings.adminToken], "reader", deps.hashing),
  );
  app.route("/v1/read", readRoutes(storeAnswerer(() => views.store, "primary")));
  return app;
}
