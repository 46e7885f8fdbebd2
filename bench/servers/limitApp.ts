import { Hono } from "hono";

/**
 * The physical limit of a runtime: Hono answering a constant JSON body of
 * the size the reader answers for the same query, with no store behind it.
 */
export function createLimitApp(bodies: Record<string, string>): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/limit/:kind", (c) => {
    const body = bodies[c.req.param("kind")];
    return body === undefined
      ? c.notFound()
      : c.body(body, 200, { "content-type": "application/json" });
  });
  return app;
}
