import { errorResponses, json, security } from "./operations.ts";
import type { JsonObject } from "./schemaComponents.ts";

const nullable = (schema: JsonObject): JsonObject => ({ anyOf: [schema, { type: "null" }] });

/** `generation` in `/v1/status` and in the rebuild's answer. */
export const generationSchema: JsonObject = {
  type: "object",
  required: ["active", "epoch", "versions", "building", "lastSwitchAt", "lastError"],
  properties: {
    active: { type: "string", description: "the namespace reads and live applies go to" },
    epoch: { type: "integer", minimum: 0 },
    versions: {
      type: "object",
      additionalProperties: { type: "integer" },
      description: "each read model's projection version in this code",
    },
    building: nullable({
      type: "object",
      required: ["namespace", "epoch", "watermark", "head", "applied", "startedAt"],
      properties: {
        namespace: { type: "string" },
        epoch: { type: "integer" },
        watermark: { type: "integer" },
        head: { type: ["integer", "null"] },
        applied: { type: "integer" },
        startedAt: { type: "string", format: "date-time" },
      },
    }),
    lastSwitchAt: { type: ["string", "null"], format: "date-time" },
    lastError: { type: ["string", "null"] },
  },
};

/**
 * Adds `POST /v1/admin/rebuild` to an API document; both apps serve it.
 *
 * @example
 * openApiRoutes(withAdminPaths(edgeReaderDocument(), "READER_ADMIN_TOKEN"))(app);
 */
export function withAdminPaths(document: JsonObject, tokenVariable: string): JsonObject {
  const paths = (document.paths ?? {}) as JsonObject;
  return {
    ...document,
    paths: {
      ...paths,
      "/v1/admin/rebuild": {
        post: {
          summary: "rebuild every view from the log beside the live ones, then switch atomically",
          description: `Needs the admin token (${tokenVariable}). Reads go on from the live views; \`GET /v1/status\` shows the build under \`generation.building\`.`,
          tags: ["admin"],
          security: security.admin,
          responses: {
            "202": {
              description: "the build is under way",
              content: json({
                type: "object",
                required: ["generation"],
                properties: { generation: generationSchema },
              }),
            },
            ...errorResponses([401, 404]),
          },
        },
      },
    },
  };
}
