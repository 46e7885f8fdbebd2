import type { MiddlewareHandler } from "hono";
import type { Metrics } from "./metrics.ts";

/** The HTTP series both apps declare. */
export const httpMetricNames = {
  cqrs_http_requests_total: { type: "counter", help: "HTTP requests by method, route and status" },
  cqrs_http_request_seconds: { type: "histogram", help: "HTTP request duration by route" },
  cqrs_errors_total: { type: "counter", help: "error responses by error code" },
} as const;

/**
 * Counts one answered request by its route pattern (never the raw path, which
 * would make a series per product) and status, times it from `startedMs`
 * (`performance.now()`), and counts an error by the machine code the error
 * handler put in `X-Error-Code`.
 */
export type RequestRecorder = (
  method: string,
  route: string,
  res: Response,
  startedMs: number,
) => void;

/**
 * The recorder of one app's requests. Every request counts one (method, route,
 * status) and times one route: their series are looked up once each, not
 * built from labels per request.
 *
 * @example
 * const record = requestRecorder(metrics);
 * record("GET", "/v1/products/:slug", res, started);
 */
export function requestRecorder(metrics: Metrics): RequestRecorder {
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(value: number): void }>();
  return (method, route, res, startedMs) => {
    const { status } = res;
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
    seconds.observe((performance.now() - startedMs) / 1000);
    // Only error answers carry the code; looking at a success's headers would
    // make @hono/node-server build a full Response it otherwise skips.
    const code = status >= 400 ? res.headers.get("x-error-code") : null;
    if (code) metrics.inc("cqrs_errors_total", { code });
  };
}

/**
 * Records every request of an app through `record` (`requestRecorder`), by
 * the route pattern it matched, "unmatched" when none.
 *
 * @example
 * app.use("*", httpMetrics(requestRecorder(metrics)));
 */
export const httpMetrics =
  (record: RequestRecorder): MiddlewareHandler =>
  async (c, next) => {
    const started = performance.now();
    await next();
    record(c.req.method, c.req.routePath || "unmatched", c.res, started);
  };
