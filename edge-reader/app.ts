import { Hono } from "hono";
import {
  errorHandler,
  type FaultReporter,
  notFoundHandler,
} from "../shared/http/errorResponses.ts";
import { readRoutes } from "../shared/http/readRoutes.ts";
import type { Logger } from "../shared/logging/logger.ts";
import { httpMetrics } from "../shared/metrics/httpMetrics.ts";
import type { Metrics } from "../shared/metrics/metrics.ts";
import { withAdminPaths } from "../shared/openapi/adminPaths.ts";
import { edgeReaderDocument, openApiRoutes } from "../shared/openapi/index.ts";
import type { ViewStore } from "../shared/views/viewStore.ts";
import type { CatchUp } from "./catchUp/catchUp.ts";
import type { ReaderState } from "./catchUp/readerState.ts";
import { type ConsistencyDeps, consistentReads } from "./consistency/consistentReads.ts";
import { adminRoutes, type ReaderGenerations } from "./http/adminRoutes.ts";
import { type ReaderIdentity, statusRoute } from "./http/statusRoute.ts";
import { ingestRoute, type PushVerifier } from "./ingest/ingestRoute.ts";
import { readerGauges } from "./metrics/readerMetrics.ts";
import type { SelfHeal } from "./selfHeal/selfHeal.ts";

/** What one reader is made of; each runtime entry builds it and calls `createReaderApp`. */
export interface Reader {
  identity: ReaderIdentity;
  store: ViewStore;
  catchUp: CatchUp;
  verifyPush: PushVerifier;
  state: ReaderState;
  ingestBodyLimitBytes: number;
  consistency: Omit<ConsistencyDeps, "store" | "catchUp" | "state" | "metrics">;
  metrics: Metrics;
  /** the store's view generations and how to run a build step now (absent: a plain store) */
  generations?: ReaderGenerations;
  /** bearer token of the admin routes; null turns them off */
  adminToken?: string | null;
  /** structured logs ("reader applied"…); silent when absent */
  log?: Logger;
  /** compares the views with the primary's after a reconcile, rebuilds them when they differ */
  selfHeal?: SelfHeal;
}

/**
 * The edge reader as a Hono app over one reader's parts.
 *
 * @example
 * const app = createReaderApp(reader);
 * await app.request("http://localhost/v1/products/red-shoe");
 */
export function createReaderApp(reader: Reader, reportFault?: FaultReporter): Hono {
  const app = new Hono();
  app.onError(errorHandler(reportFault ?? ((e) => console.error(e))));
  app.notFound(notFoundHandler);
  app.use("*", httpMetrics(reader.metrics));
  readerGauges(reader.metrics, reader.store, reader.state);
  app.get("/metrics", async (c) =>
    c.text(await reader.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );
  app.get("/healthz", (c) => c.json({ ok: true }));
  openApiRoutes(withAdminPaths(edgeReaderDocument(), "READER_ADMIN_TOKEN"))(app);
  statusRoute({
    identity: reader.identity,
    store: reader.store,
    state: reader.state,
    generations: reader.generations?.store,
    selfHeal: reader.selfHeal,
  })(app);
  adminRoutes({ token: reader.adminToken ?? null, generations: reader.generations })(app);
  ingestRoute({
    store: reader.store,
    catchUp: reader.catchUp,
    verify: reader.verifyPush,
    state: reader.state,
    bodyLimitBytes: reader.ingestBodyLimitBytes,
    log: reader.log,
  })(app);
  const consistency = consistentReads({
    ...reader.consistency,
    store: reader.store,
    catchUp: reader.catchUp,
    state: reader.state,
    metrics: reader.metrics,
  });
  app.route("/v1", readRoutes(consistency));
  return app;
}
