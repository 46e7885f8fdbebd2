import type { Context, MiddlewareHandler } from "hono";
import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { AppError, ValidationError } from "../../shared/errors/index.ts";
import { handOutToken } from "../../shared/http/handOutToken.ts";
import type { Metrics } from "../../shared/metrics/metrics.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReadCache } from "../cache/readCache.ts";
import type { CatchUp } from "../catchUp/catchUp.ts";
import type { ReaderState } from "../catchUp/readerState.ts";
import type { FallbackBudget } from "./fallbackBudget.ts";
import type { PrimaryReads } from "./primaryReads.ts";
import { requiredVersion } from "./requiredVersion.ts";
import { type Route, routeRead } from "./routeRead.ts";
import { waitForCatchUp } from "./waitForCatchUp.ts";

export interface ConsistencyDeps {
  store: ViewStore;
  catchUp: CatchUp;
  state: ReaderState;
  tokens: ConsistencyTokens;
  tokenTtlMs: number;
  /** how long a lagging replica may wait for catch-up before handing the read on */
  waitBoundMs: number;
  /** the reader's default staleness bound; null = unbounded (eventual) */
  maxStalenessMs: number | null;
  budget: FallbackBudget;
  primary: PrimaryReads;
  /** replica answers by watermark; absent = no caching */
  cache?: ReadCache;
  metrics: Metrics;
  now?: () => number;
}

const stalenessOf = (c: Context, fallback: number | null): number | null => {
  const raw = c.req.query("maxStalenessMs");
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new ValidationError("maxStalenessMs must be a whole number of milliseconds", [
      { path: "maxStalenessMs", message: "not a number" },
    ]);
  }
  return Number(raw);
};

/** Keeps a catch-up that outlives the response alive: Workers end an isolate's work with the response otherwise. */
const keepAlive = (c: Context) => (work: Promise<unknown>) => {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context outside Workers: the promise simply runs on
  }
};

const refreshToken = (c: Context, deps: ConsistencyDeps, version: number) =>
  handOutToken(c, deps.tokens, version, deps.tokenTtlMs);

/**
 * Read-your-writes and monotonic reads for every storefront read: serve here
 * when the replica has reached the client's version; else pull and wait a
 * bounded time; else hand the read to the primary (within a budget). Every
 * answer carries a refreshed token for max(required, served-at version), so a
 * client moving between regions never sees time go backwards.
 */
export const consistentReads =
  (deps: ConsistencyDeps): MiddlewareHandler =>
  async (c, next) => {
    const required = await requiredVersion(deps.tokens, c.req);
    if (required.tokenStatus !== "none" && required.tokenStatus !== "valid") {
      c.header("X-Consistency-Token-Status", required.tokenStatus);
    }
    const now = deps.now ?? Date.now;
    const maxStalenessMs = stalenessOf(c, deps.maxStalenessMs);
    const decide = (watermark: number): Route =>
      routeRead({
        required: required.version,
        watermark,
        maxStalenessMs,
        sinceHeardMs: deps.state.lastHeardAt === null ? null : now() - deps.state.lastHeardAt,
      });

    // Nothing to satisfy, no bound, no cache key: skip the watermark read (on Redis, an HTTPS hop).
    const needsWatermark =
      required.version > 0 || maxStalenessMs !== null || deps.cache !== undefined;
    let watermark = needsWatermark ? await deps.store.watermark() : 0;
    let route = decide(watermark);
    if (route.to === "primary") {
      watermark = await waitForCatchUp(deps.store, deps.catchUp, deps.waitBoundMs, keepAlive(c));
      route = decide(watermark);
    }
    if (route.to === "primary") {
      if (!deps.budget.take()) {
        deps.metrics.inc("cqrs_fallbacks_refused_total");
        c.header("Retry-After", "1");
        throw new AppError(
          "unavailable",
          "this replica is behind and its primary-read budget is spent; retry shortly",
          {
            details: { reason: route.reason, required: required.version, watermark },
          },
        );
      }
      const url = new URL(c.req.url);
      const res = await deps.primary(`${url.pathname.replace(/^\/v1/, "")}${url.search}`);
      // The client's own mistakes (404, 400, 422) pass through; anything else is our fault.
      if (res.status >= 500 || res.status === 401 || res.status === 429) {
        throw new AppError("unavailable", `the primary could not serve this read (${res.status})`);
      }
      const primaryVersion = Number(res.headers.get("X-Replica-Watermark") ?? 0);
      const body = await res.arrayBuffer();
      deps.metrics.inc("cqrs_primary_fallbacks_total", { reason: route.reason });
      deps.metrics.inc("cqrs_reads_total", { served_by: "primary" });
      c.header("X-Served-By", "primary");
      c.header("X-Primary-Reason", route.reason);
      c.header("X-Replica-Watermark", String(primaryVersion));
      c.header("X-Replica-Lag", String(Math.max(0, primaryVersion - watermark)));
      await refreshToken(c, deps, Math.max(required.version, primaryVersion));
      return c.body(body, res.status as 200, {
        "content-type": res.headers.get("content-type") ?? "application/json",
      });
    }

    const url = new URL(c.req.url);
    const key = `${url.pathname}${url.search}`;
    const cached = deps.cache?.get(watermark, key);
    if (deps.cache) deps.metrics.inc("cqrs_read_cache_total", { result: cached ? "hit" : "miss" });
    deps.metrics.inc("cqrs_reads_total", { served_by: "replica" });
    if (!cached) await next();
    const servedAt = cached
      ? cached.watermark
      : Number(c.res.headers.get("X-Replica-Watermark") ?? watermark);
    if (!cached && deps.cache && (c.res.status === 200 || c.res.status === 404)) {
      deps.cache.put(servedAt, key, {
        status: c.res.status,
        body: await c.res.clone().text(),
        watermark: servedAt,
      });
    }
    // Weak: the same watermark means the same views, so the same answer for this URL.
    const etag = `W/"v${servedAt}"`;
    c.header("ETag", etag);
    c.header("Cache-Control", "private, no-cache");
    c.header("X-Replica-Lag", String(Math.max(0, deps.state.knownHead - servedAt)));
    await refreshToken(c, deps, Math.max(required.version, servedAt));
    const status = cached ? cached.status : c.res.status;
    if (status === 200 && c.req.header("if-none-match") === etag) {
      c.header("X-Served-By", "replica");
      c.header("X-Replica-Watermark", String(servedAt));
      return c.body(null, 304);
    }
    if (cached) {
      c.header("X-Served-By", "replica");
      c.header("X-Replica-Watermark", String(servedAt));
      c.header("X-Cache", "hit");
      return c.body(cached.body, cached.status as 200, { "content-type": "application/json" });
    }
  };
