import type { MiddlewareHandler } from "hono";
import type { Metrics } from "./metrics.ts";

/** The HTTP series both apps declare. */
export const httpMetricNames = {
  cqrs_http_requests_total: { type: "counter", help: "HTTP requests by method, route and status" },
  cqrs_http_request_seconds: { type: "histogram", help: "HTTP request duration by route" },
  cqrs_errors_total: { type: "counter", help: "error responses by error code" },
} as const;

/**
 * Counts every request by its route pattern (never the raw path, which would
 * make a series per product) and status, times it, and counts errors by the
 * machine code the error handler put in `X-Error-Code`.
 *
 * @example
 * app.use("*", httpMetrics(metrics));
 */
export const httpMetrics =
  (metrics: Metrics): MiddlewareHandler =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || "unmatched";
    metrics.inc("cqrs_http_requests_total", {
      method: c.req.method,
      route,
      status: String(c.res.status),
    });
    metrics.observe("cqrs_http_request_seconds", (performance.now() - started) / 1000, { route });
    // Only error answers carry the code; looking at a success's headers would
    // make @hono/node-server build a full Response it otherwise skips.
    const code = c.res.status >= 400 ? c.res.headers.get("x-error-code") : null;
    if (code) metrics.inc("cqrs_errors_total", { code });
  };
