import { errorResponses, json } from "../../shared/openapi/operations.ts";
import type { JsonObject } from "../../shared/openapi/schemaComponents.ts";
import { agreements } from "../../shared/status/agreement.ts";
import { sessionCookie } from "./dashboardSession.ts";

const admin = [{ adminBearer: [] }, { dashboardSession: [] }];
const htmlBody = (description: string): JsonObject => ({
  description,
  content: { "text/html": { schema: { type: "string" } } },
});
const nullable = (type: string) => ({ type: [type, "null"] });

const regionSchema: JsonObject = {
  type: "object",
  required: ["region", "url", "reachable", "watermark", "lagEvents", "lagMs", "agreement"],
  properties: {
    region: { type: "string" },
    runtime: nullable("string"),
    store: nullable("string"),
    url: { type: "string" },
    reachable: { type: "boolean" },
    error: nullable("string"),
    watermark: nullable("integer"),
    lagEvents: nullable("integer"),
    lagMs: nullable("integer"),
    digest: nullable("string"),
    agreement: { enum: [...agreements] },
    agreementNote: nullable("string"),
    lastApplyAt: nullable("string"),
    lastPoison: { type: ["object", "null"] },
    views: { type: ["object", "null"] },
  },
};

const stateSchema: JsonObject = {
  type: "object",
  required: ["at", "primary", "regions", "converged", "deadLetters"],
  properties: {
    at: { type: "string", format: "date-time" },
    primary: {
      type: "object",
      required: ["head", "published", "watermark", "digest"],
      properties: {
        head: { type: "integer" },
        published: { type: "integer" },
        watermark: { type: "integer" },
        digest: { type: "string" },
      },
    },
    regions: { type: "array", items: regionSchema },
    converged: { type: "boolean" },
    deadLetters: {
      type: "object",
      required: ["available"],
      properties: {
        available: { type: "boolean" },
        reason: { type: "string" },
        messages: { type: "array", items: { type: "object" } },
        more: { type: "boolean" },
      },
    },
  },
};

// [epoch ms, value]; a null value is a gap (the region or the primary did not answer)
const line: JsonObject = {
  type: "array",
  items: {
    type: "array",
    prefixItems: [{ type: "integer" }, { type: ["number", "null"] }],
    minItems: 2,
    maxItems: 2,
  },
};

const historySchema: JsonObject = {
  type: "object",
  required: ["sampleMs", "windowMs", "from", "to", "writeRate", "regions"],
  properties: {
    sampleMs: { type: "integer" },
    windowMs: { type: "integer" },
    from: { type: "integer", description: "epoch ms: the window's start, or the first sample" },
    to: { type: "integer", description: "epoch ms: now" },
    writeRate: { ...line, description: "events committed per second (head deltas)" },
    regions: {
      type: "array",
      items: {
        type: "object",
        required: ["url", "region", "lagEvents", "lagMs", "applyRate", "fallbackRate"],
        properties: {
          url: { type: "string" },
          region: { type: "string" },
          lagEvents: { ...line, description: "primary head − watermark" },
          lagMs: {
            ...line,
            description:
              "age of the oldest committed event not yet applied (sample time − its commit time); 0 at the head",
          },
          applyRate: { ...line, description: "events applied per second (watermark deltas)" },
          fallbackRate: {
            ...line,
            description: "reads handed to the primary per second (primaryFallbacks deltas)",
          },
        },
      },
    },
  },
};

const seeOther = { "303": { description: "back to /dashboard" } };

const paths: JsonObject = {
  "/dashboard": {
    get: {
      summary: "the replication dashboard (HTML); the login form without credentials",
      tags: ["dashboard"],
      security: admin,
      responses: {
        "200": htmlBody("the dashboard"),
        "401": htmlBody("the login form"),
      },
    },
    post: {
      summary: "log in with the admin token; sets the dashboard session cookie",
      tags: ["dashboard"],
      security: [],
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              required: ["token"],
              properties: { token: { type: "string" } },
            },
          },
        },
      },
      responses: { ...seeOther, "401": htmlBody("the login form, saying the token is wrong") },
    },
  },
  "/dashboard/logout": {
    post: {
      summary: "end the dashboard session",
      tags: ["dashboard"],
      security: [],
      responses: seeOther,
    },
  },
  "/dashboard/state": {
    get: {
      summary: "every region's watermark, lag, digest agreement; the primary; recent dead letters",
      tags: ["dashboard"],
      security: admin,
      responses: {
        "200": { description: "the dashboard's state", content: json(stateSchema) },
        ...errorResponses([401]),
      },
    },
  },
  "/dashboard/history": {
    get: {
      summary:
        "the charts' lines over the kept window: write rate, and per region lag (events, ms), apply rate, primary fallbacks per second",
      tags: ["dashboard"],
      security: admin,
      responses: {
        "200": { description: "the sampled history", content: json(historySchema) },
        ...errorResponses([401, 404]),
      },
    },
  },
  "/dashboard/live": {
    get: {
      summary: "the dashboard's live part as an HTML fragment, polled by the page",
      tags: ["dashboard"],
      security: admin,
      responses: { "200": htmlBody("HTML fragment"), ...errorResponses([401]) },
    },
  },
};

/**
 * The write API's document with the dashboard's routes and its session cookie added.
 *
 * @example
 * openApiRoutes(withDashboardPaths(writeApiDocument()))(app);
 */
export function withDashboardPaths(document: JsonObject): JsonObject {
  const components = (document.components ?? {}) as JsonObject;
  return {
    ...document,
    paths: { ...(document.paths as JsonObject), ...paths },
    components: {
      ...components,
      securitySchemes: {
        ...(components.securitySchemes as JsonObject),
        dashboardSession: {
          type: "apiKey",
          in: "cookie",
          name: sessionCookie,
          description: "the session the dashboard's login form sets (HttpOnly, SameSite=Strict)",
        },
      },
    },
  };
}
