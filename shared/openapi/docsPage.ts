import type { JsonObject } from "./schemaComponents.ts";

const html = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A schema shown briefly: its $ref name, or its JSON. */
const schemaText = (schema: unknown): string => {
  if (isObject(schema) && typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop() ?? "";
    return `<a href="#schema-${html(name)}">${html(name)}</a>`;
  }
  return `<code>${html(JSON.stringify(schema))}</code>`;
};

const contentText = (content: unknown): string =>
  isObject(content)
    ? Object.entries(content)
        .map(([type, media]) => `${html(type)} ${isObject(media) ? schemaText(media.schema) : ""}`)
        .join("<br>")
    : "";

const parameterRows = (parameters: unknown): string =>
  Array.isArray(parameters) && parameters.length > 0
    ? `<table><tr><th>parameter</th><th>in</th><th>schema</th><th>what</th></tr>${parameters
        .filter(isObject)
        .map(
          (p) =>
            `<tr><td>${html(str(p.name))}${p.required ? " *" : ""}</td><td>${html(str(p.in))}</td><td>${schemaText(p.schema)}</td><td>${html(str(p.description))}</td></tr>`,
        )
        .join("")}</table>`
    : "";

const responseRows = (responses: unknown): string =>
  isObject(responses)
    ? `<table><tr><th>status</th><th>what</th><th>body</th><th>headers</th></tr>${Object.entries(
        responses,
      )
        .map(([status, r]) => {
          const res = isObject(r) ? r : {};
          const headers = isObject(res.headers) ? Object.keys(res.headers).join(", ") : "";
          return `<tr><td>${html(status)}</td><td>${html(str(res.description))}</td><td>${contentText(res.content)}</td><td>${html(headers)}</td></tr>`;
        })
        .join("")}</table>`
    : "";

const operationHtml = (path: string, method: string, op: JsonObject): string => {
  const security = Array.isArray(op.security)
    ? op.security.flatMap((s) => (isObject(s) ? Object.keys(s) : [])).join(" or ") || "public"
    : "";
  const body = isObject(op.requestBody)
    ? `<p>body: ${contentText(op.requestBody.content)}</p>`
    : "";
  return `<section><h3><span class="m">${html(method.toUpperCase())}</span> ${html(path)}</h3><p>${html(str(op.summary))} <em>(${html(security)})</em></p>${parameterRows(op.parameters)}${body}${responseRows(op.responses)}</section>`;
};

/**
 * A self-contained HTML page for an OpenAPI document: every path, method,
 * parameter, request body and response, and the schemas as JSON. No script
 * and no CDN, so it works offline and under any CSP.
 *
 * @example
 * app.get("/docs", (c) => c.html(docsPage(writeApiDocument())));
 */
export function docsPage(document: JsonObject): string {
  const info = isObject(document.info) ? document.info : {};
  const paths = isObject(document.paths) ? document.paths : {};
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    isObject(item)
      ? Object.entries(item).flatMap(([method, op]) =>
          isObject(op) ? [operationHtml(path, method, op)] : [],
        )
      : [],
  );
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const schemaHtml = Object.entries(schemas).map(
    ([name, schema]) =>
      `<details id="schema-${html(name)}"><summary>${html(name)}</summary><pre>${html(JSON.stringify(schema, null, 2))}</pre></details>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(str(info.title))}</title><style>body{font:14px system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}.m{background:#223;color:#fff;padding:0 .4em;border-radius:3px}pre{background:#f6f6f6;padding:.5em;overflow:auto}</style></head><body><h1>${html(str(info.title))}</h1><p>${html(str(info.description))} <a href="openapi.json">openapi.json</a></p><h2>Paths</h2>${operations.join("")}<h2>Schemas</h2>${schemaHtml.join("")}</body></html>`;
}
