import type { AnyReadModel } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import { errorResponses, header, json, queryParam, ref, security } from "./operations.ts";
import type { JsonObject } from "./schemaComponents.ts";

/** Hono's `/products/:slug` as OpenAPI's `/products/{slug}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

/** What a replica read accepts besides its own query: the read-your-writes and staleness inputs. */
const consistencyParams: JsonObject[] = [
  {
    name: "X-Consistency-Token",
    in: "header",
    description: "signed token from a write or an earlier read; invalid ones are ignored",
    schema: { type: "string" },
  },
  {
    name: "cqrs_rv",
    in: "cookie",
    description: "the same token as a cookie, for browsers",
    schema: { type: "string" },
  },
  queryParam("minVersion", "unsigned minimum version to reflect", {
    type: "integer",
    minimum: 0,
  }),
  queryParam("maxStalenessMs", "go to the primary if it was not heard from within this", {
    type: "integer",
    minimum: 0,
    maximum: 999_999_999,
  }),
  {
    name: "If-None-Match",
    in: "header",
    description: "an earlier ETag; 304 while the watermark has not moved",
    schema: { type: "string" },
  },
];

const readHeaders = (replica: boolean): JsonObject => {
  const served = {
    "X-Served-By": header("who answered", { type: "string", enum: ["replica", "primary"] }),
    "X-Replica-Watermark": header("the version the answer reflects", { type: "integer" }),
  };
  if (!replica) return served;
  return {
    ...served,
    "X-Replica-Lag": header("events behind the newest head this reader knows", {
      type: "integer",
    }),
    "X-Primary-Reason": header("why the primary answered", {
      type: "string",
      enum: ["behind", "stale"],
    }),
    "X-Consistency-Token": header("refreshed token: max(required, served) version"),
    "X-Consistency-Token-Status": header("set when the offered token was not valid", {
      type: "string",
      enum: ["malformed", "bad_signature", "expired"],
    }),
    "Set-Cookie": header("cqrs_rv=<the refreshed token>"),
    ETag: header('W/"v<watermark>"'),
    "Cache-Control": header("private, no-cache"),
  };
};

/**
 * The storefront read paths under `prefix`, one per read model: `/v1` on a
 * reader (with the consistency inputs and headers), `/v1/read` on the write
 * API (reader bearer).
 *
 * @example
 * readPaths({ prefix: "/v1", replica: true }); // { "/v1/products/{slug}": { get: … }, … }
 */
export function readPaths(options: { prefix: string; replica: boolean }): JsonObject {
  const { prefix, replica } = options;
  const headers = readHeaders(replica);
  const errors = (statuses: number[]) =>
    replica
      ? errorResponses([...statuses, 503], {
          "Retry-After": header("seconds", { type: "integer" }),
        })
      : errorResponses([...statuses, 401]);
  return Object.fromEntries(
    (readModelList as readonly AnyReadModel[]).map((model) => [
      `${prefix}${openApiPath(model.path)}`,
      {
        get: {
          summary: model.summary,
          tags: ["reads"],
          security: replica ? security.public : security.reader,
          parameters: replica ? [...model.parameters, ...consistencyParams] : [...model.parameters],
          responses: {
            "200": { description: "the view", headers, content: json(ref(model.responseName)) },
            ...(replica ? { "304": { description: "not modified since the ETag", headers } } : {}),
            ...errors([...model.statuses]),
          },
        },
      },
    ]),
  );
}
