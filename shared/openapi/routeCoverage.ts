import type { JsonObject } from "./schemaComponents.ts";

export interface RouteEntry {
  method: string;
  path: string;
}

const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Hono's `/v1/products/:slug` is OpenAPI's `/v1/products/{slug}`. */
export const toOpenApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, "{$1}");

/**
 * Compares an app's handlers (Hono's `app.routes`; middleware shows as method
 * `ALL` and is skipped) with a document's operations, both ways, as "METHOD path".
 *
 * @example
 * routeCoverage(app.routes, writeApiDocument()); // → { undocumented: [], unrouted: [] }
 */
export function routeCoverage(
  routes: readonly RouteEntry[],
  document: JsonObject,
): { undocumented: string[]; unrouted: string[] } {
  const routed = new Set(
    routes
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`),
  );
  const paths = (document.paths ?? {}) as Record<string, JsonObject>;
  const documented = new Set(
    Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => methods.has(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );
  return {
    undocumented: [...routed].filter((r) => !documented.has(r)).sort(),
    unrouted: [...documented].filter((d) => !routed.has(d)).sort(),
  };
}
