import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../errors/index.ts";

/** Anything that wants to hear about 5xx faults (a logger, a metric). */
export type FaultReporter = (error: unknown, c: Context) => void;

/**
 * The one place errors become responses: `{ error: { code, message, details? } }`
 * with the status the code maps to. Unexpected errors answer a bare 500 and are
 * reported, never leaking a stack trace or SQL to the client.
 *
 * @example
 * app.onError(errorHandler(console.error)).notFound(notFoundHandler);
 */
export const errorHandler =
  (report: FaultReporter): ErrorHandler =>
  (error, c) => {
    if (error instanceof AppError) {
      if (error.status >= 500) report(error, c);
      // the machine code as a header too: metrics and logs read it without parsing bodies
      c.header("X-Error-Code", error.code);
      // a 503 is a passing condition (a busy or full primary): say when to come back
      if (error.status === 503) c.header("Retry-After", "1");
      return c.json(error.toBody(), error.status as ContentfulStatusCode);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 401 ? "unauthorized" : "bad_request";
      c.header("X-Error-Code", code);
      return c.json({ error: { code, message: error.message || "bad request" } }, error.status);
    }
    report(error, c);
    c.header("X-Error-Code", "internal");
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  };

export const notFoundHandler: NotFoundHandler = (c) =>
  c.json(
    { error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } },
    404,
  );
