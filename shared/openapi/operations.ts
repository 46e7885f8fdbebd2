import { errorStatus } from "../errors/appError.ts";
import type { JsonObject } from "./schemaComponents.ts";

export const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: JsonObject): JsonObject => ({
  "application/json": { schema },
});

/** The codes `errorStatus` maps to one status, so the document lists exactly what the code can answer. */
export const codesFor = (status: number): string[] =>
  Object.entries(errorStatus)
    .filter(([, s]) => s === status)
    .map(([code]) => code);

/** `{ error: { code, message, details? } }` responses, one per status, naming its codes. */
export function errorResponses(
  statuses: number[],
  headers: Record<string, JsonObject> = {},
): JsonObject {
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = codesFor(status);
      const schema = {
        allOf: [
          ref("ErrorBody"),
          { properties: { error: { properties: { code: { enum: codes } } } } },
        ],
      };
      const response: JsonObject = {
        description: `error codes: ${codes.join(", ")}`,
        content: json(schema),
      };
      if (status === 503 && Object.keys(headers).length > 0) response.headers = headers;
      return [String(status), response];
    }),
  );
}

export const header = (description: string, schema: JsonObject = { type: "string" }) => ({
  description,
  schema,
});

export const queryParam = (
  name: string,
  description: string,
  schema: JsonObject,
  required = false,
): JsonObject => ({ name, in: "query", required, description, schema });

export const security = {
  admin: [{ adminBearer: [] }],
  reader: [{ readerBearer: [] }, { adminBearer: [] }],
  public: [],
  qstash: [{ qstashSignature: [] }],
};

export const securitySchemes: JsonObject = {
  adminBearer: {
    type: "http",
    scheme: "bearer",
    description: "the admin token (ADMIN_TOKEN): writes, and every read the reader token allows",
  },
  readerBearer: {
    type: "http",
    scheme: "bearer",
    description: "the reader token (READER_TOKEN): the log and the primary's read paths",
  },
  qstashSignature: {
    type: "apiKey",
    in: "header",
    name: "Upstash-Signature",
    description:
      "a QStash-signed JWT for this reader's own /v1/ingest URL, covering the body's SHA-256",
  },
};

const text = (description: string): JsonObject => ({
  description,
  content: { "text/plain": { schema: { type: "string" } } },
});

/** `/metrics`, `/healthz`, `/openapi.json` and `/docs`: the same in both apps. */
export function operabilityPaths(metricsDescription: string): JsonObject {
  return {
    "/metrics": {
      get: {
        summary: "Prometheus metrics",
        tags: ["operations"],
        security: security.public,
        responses: { "200": text(metricsDescription) },
      },
    },
    "/healthz": {
      get: {
        summary: "liveness",
        tags: ["operations"],
        security: security.public,
        responses: { "200": { description: "alive", content: json(ref("Health")) } },
      },
    },
    "/openapi.json": {
      get: {
        summary: "this OpenAPI 3.1 document",
        tags: ["operations"],
        security: security.public,
        responses: { "200": { description: "the document", content: json({ type: "object" }) } },
      },
    },
    "/docs": {
      get: {
        summary: "this document as a self-contained HTML page",
        tags: ["operations"],
        security: security.public,
        responses: {
          "200": {
            description: "HTML",
            content: { "text/html": { schema: { type: "string" } } },
          },
        },
      },
    },
  };
}
