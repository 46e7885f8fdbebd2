import { maxAttributeNameLength, maxAttributeValueLength } from "../views/attributeQueries.ts";
import { listingSorts } from "../views/readModels.ts";
import { errorResponses, header, json, queryParam, ref, security } from "./operations.ts";
import type { JsonObject } from "./schemaComponents.ts";

const slug: JsonObject = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", maxLength: 120, pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$" },
};
const attributeParam = (name: "name" | "value", maxLength: number): JsonObject => ({
  name,
  in: "path",
  required: true,
  description: `the attribute ${name}, URL-encoded; numbers and booleans as text ("3", "true")`,
  // no control characters (Unicode Cc)
  schema: {
    type: "string",
    minLength: 1,
    maxLength,
    pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]+$",
  },
});
const limit = queryParam("limit", "page size, default 20", {
  type: "integer",
  minimum: 1,
  maximum: 100,
});
const cursor = queryParam("cursor", "the previous page's nextCursor (opaque)", {
  type: "string",
  maxLength: 512,
});

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

interface ReadOp {
  path: string;
  summary: string;
  body: string;
  params: JsonObject[];
  statuses: number[];
}

const reads: ReadOp[] = [
  {
    path: "/products/{slug}",
    summary: "the product page, pre-joined",
    body: "ProductResponse",
    params: [slug],
    statuses: [404],
  },
  {
    path: "/categories",
    summary: "the category tree with product counts",
    body: "CategoriesResponse",
    params: [],
    statuses: [],
  },
  {
    path: "/categories/{slug}/products",
    summary: "active products of a category, keyset-paginated",
    body: "CategoryListingResponse",
    params: [
      slug,
      queryParam("sort", "order, default newest", { type: "string", enum: [...listingSorts] }),
      queryParam("inStock", "only products in stock", {
        type: "string",
        enum: ["1", "0", "true", "false"],
      }),
      limit,
      cursor,
    ],
    statuses: [400, 404, 422],
  },
  {
    path: "/categories/{slug}/stats",
    summary: "materialized counts and prices per currency",
    body: "CategoryStatsResponse",
    params: [slug],
    statuses: [404],
  },
  {
    path: "/attributes/{name}/{value}/products",
    summary:
      "active products whose attribute has a value (faceted filter), by name; keyset-paginated",
    body: "AttributeProductsResponse",
    params: [
      attributeParam("name", maxAttributeNameLength),
      attributeParam("value", maxAttributeValueLength),
      limit,
      cursor,
    ],
    statuses: [400, 422],
  },
  {
    path: "/attributes/{name}",
    summary: "an attribute's values with their counts of active products, in code-point order",
    body: "AttributeValuesResponse",
    params: [attributeParam("name", maxAttributeNameLength)],
    statuses: [400],
  },
  {
    path: "/search",
    summary: "all query words in name or description",
    body: "SearchResponse",
    params: [
      queryParam(
        "q",
        "1 to 200 characters",
        { type: "string", minLength: 1, maxLength: 200 },
        true,
      ),
      limit,
      cursor,
    ],
    statuses: [400, 422],
  },
];

/**
 * The storefront read paths under `prefix`: `/v1` on a reader (with the
 * consistency inputs and headers), `/v1/read` on the write API (reader bearer).
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
    reads.map((read) => [
      `${prefix}${read.path}`,
      {
        get: {
          summary: read.summary,
          tags: ["reads"],
          security: replica ? security.public : security.reader,
          parameters: replica ? [...read.params, ...consistencyParams] : read.params,
          responses: {
            "200": { description: "the view", headers, content: json(ref(read.body)) },
            ...(replica ? { "304": { description: "not modified since the ETag", headers } } : {}),
            ...errors(read.statuses),
          },
        },
      },
    ]),
  );
}
