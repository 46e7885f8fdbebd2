import { limits } from "../commands/schemas.ts";
import {
  errorResponses,
  header,
  json,
  operabilityPaths,
  queryParam,
  ref,
  security,
  securitySchemes,
} from "./operations.ts";
import { readPaths } from "./readPaths.ts";
import { type JsonObject, schemaComponents } from "./schemaComponents.ts";

const document = (title: string, description: string, paths: JsonObject): JsonObject => ({
  openapi: "3.1.0",
  info: { title, version: "0.1.0", description },
  paths,
  components: { schemas: schemaComponents(), securitySchemes },
});

const tokenHeaders = {
  "X-Consistency-Token": header("signed token for the committed version; send it on reads"),
  "Set-Cookie": header("cqrs_rv=<the same token>; HttpOnly; SameSite=Lax"),
};

const commandsPath: JsonObject = {
  post: {
    summary: `one command, or an atomic batch of up to ${limits.maxBatch}`,
    tags: ["commands"],
    security: security.admin,
    parameters: [
      {
        name: "Idempotency-Key",
        in: "header",
        description: "a retry with the same key and body returns the first response",
        schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" },
      },
    ],
    requestBody: {
      required: true,
      content: json({ oneOf: [ref("Command"), ref("CommandBatch")] }),
    },
    responses: {
      "200": {
        description: "committed: the new log version and one result per command",
        headers: {
          ...tokenHeaders,
          "Idempotency-Replayed": header("true when this is a remembered response"),
        },
        content: json(ref("CommandResult")),
      },
      ...errorResponses([400, 401, 404, 409, 413, 415, 422, 503]),
    },
  },
};

const eventsPath: JsonObject = {
  get: {
    summary: "the event log, a page at a time",
    tags: ["log"],
    security: security.reader,
    parameters: [
      queryParam("after", "events with seq above this, default 0", { type: "integer", minimum: 0 }),
      queryParam("limit", "page size, default 100", { type: "integer", minimum: 0, maximum: 1000 }),
    ],
    responses: {
      "200": { description: "events and the log head", content: json(ref("EventPage")) },
      ...errorResponses([401, 422]),
    },
  },
};

const statusPath = (schema: string, summary: string): JsonObject => ({
  get: {
    summary,
    tags: ["operations"],
    security: security.public,
    parameters: [
      queryParam("fresh", "1 recomputes the digest now", { type: "string", enum: ["1"] }),
    ],
    responses: { "200": { description: summary, content: json(ref(schema)) } },
  },
});

/**
 * The write API's OpenAPI 3.1 document, built from the same zod schemas it validates with.
 *
 * @example
 * app.get("/openapi.json", (c) => c.json(writeApiDocument()));
 */
export const writeApiDocument = (): JsonObject =>
  document(
    "edge-cqrs write API",
    "Commands into the libSQL primary, the event log, and reads from the primary's inline views.",
    {
      "/v1/commands": commandsPath,
      "/v1/events": eventsPath,
      ...readPaths({ prefix: "/v1/read", replica: false }),
      "/v1/status": statusPath("WriteApiStatus", "log head, relay watermark, views' digest"),
      ...operabilityPaths("commands, events, replays, BUSY retries, relay batches, HTTP, errors"),
    },
  );

const ingestPath: JsonObject = {
  post: {
    summary: "QStash pushes of event batches (at-least-once, any order)",
    tags: ["ingest"],
    security: security.qstash,
    requestBody: {
      required: true,
      content: json(ref("EventBatch")),
    },
    responses: {
      "200": {
        description: "applied or acknowledged as duplicate",
        content: json(ref("IngestResult")),
      },
      ...errorResponses([400, 401, 413, 415, 422, 503]),
    },
  },
};

/**
 * The edge reader's OpenAPI 3.1 document.
 *
 * @example
 * app.get("/openapi.json", (c) => c.json(edgeReaderDocument()));
 */
export const edgeReaderDocument = (): JsonObject =>
  document(
    "edge-cqrs edge reader",
    "Storefront reads from a replica's views, with read-your-writes through consistency tokens.",
    {
      ...readPaths({ prefix: "/v1", replica: true }),
      "/v1/status": statusPath("ReaderStatus", "where this replica stands"),
      "/v1/ingest": ingestPath,
      ...operabilityPaths("applies, reads by server, fallbacks, cache, watermark, lag"),
    },
  );
