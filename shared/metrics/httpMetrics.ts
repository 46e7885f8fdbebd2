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
export const httpMetrics = (metrics: Metrics): MiddlewareHandler => {
  // Every request counts one (method, route, status) and times one route: their
  // series are looked up once each, not built from labels per request.
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(value: number): void }>();
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || "unmatched";
    const { method } = c.req;
    const { status } = c.res;
    const key = `${method} ${status} ${route}`;
    let requests = counted.get(key);
    if (!requests) {
      requests = metrics.counter("cqrs_http_requests_total", {
        method,
        route,
        status: String(status),
      });
      counted.set(key, requests);
    }
    requests.inc();
    let seconds = timed.get(route);
    if (!seconds) {
      seconds = metrics.histogram("cqrs_http_request_seconds", { route });
      timed.set(route, seconds);
    }
    seconds.observe((performance.now() - started) / 1000);
    // Only error answers carry the code; looking at a success's headers would
    // make @hono/node-server build a full Response it otherwise skips.
    const code = status >= 400 ? c.res.headers.get("x-error-code") : null;
    if (code) metrics.inc("cqrs_errors_total", { code });
  };
};
