import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { errorBody } from "./protocol/encodeResponse.ts";
import { percentDecode, TOKEN_QUERY_PARAM } from "./protocol/pathCommand.ts";

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

// Read from the raw query: URLSearchParams would turn the "+" of a base64 token into a space.
const tokenFromQuery = (url: string): string | undefined => {
  const search = new URL(url).search.replace(/^\?/, "");
  const pair = search.split("&").find((p) => p.startsWith(`${TOKEN_QUERY_PARAM}=`));
  return pair === undefined
    ? undefined
    : percentDecode(pair.slice(TOKEN_QUERY_PARAM.length + 1)).toString();
};

/**
 * Upstash's authentication: `Authorization: Bearer <token>` or `?_token=<token>`.
 * Anything else is a 401 with `{"error":"Unauthorized"}`, the body the real
 * service sends (it surfaces as "UpstashError: Unauthorized", redis-js #711).
 *
 * @example
 * ```ts
 * app.use(bearerAuth("s3cret"));
 * ```
 */
export const bearerAuth =
  (token: string): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const given = header ?? tokenFromQuery(c.req.url);
    if (given === undefined || !sameToken(given, token)) {
      return c.body(errorBody("Unauthorized"), 401, { "content-type": "application/json" });
    }
    await next();
  };
