import type { Hono } from "hono";
import { docsPage } from "./docsPage.ts";
import type { JsonObject } from "./schemaComponents.ts";

/**
 * Serves a document at `GET /openapi.json` and as HTML at `GET /docs`,
 * built once when the app is.
 *
 * @example
 * openApiRoutes(writeApiDocument())(app);
 */
export const openApiRoutes = (document: JsonObject) => (app: Hono) => {
  const html = docsPage(document);
  app.get("/openapi.json", (c) => c.json(document));
  app.get("/docs", (c) => c.html(html));
  return app;
};
