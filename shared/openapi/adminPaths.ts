import { errorResponses, json, ref, security } from "./operations.ts";
import type { JsonObject } from "./schemaComponents.ts";

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
                properties: { generation: ref("GenerationStatus") },
              }),
            },
            ...errorResponses([401, 404]),
          },
        },
      },
    },
  };
}
