import type { CommandArgs } from "./reply.ts";
import { RestProtocolError } from "./restError.ts";

/** The query parameter Upstash accepts as an alternative to the bearer header. */
export const TOKEN_QUERY_PARAM = "_token";

/**
 * Decodes `%XX` escapes to raw bytes, so a URL can carry values that are not
 * valid UTF-8. `+` stays a plus: Redis arguments such as `+inf` need it.
 *
 * @example
 * ```ts
 * percentDecode("caf%C3%A9").toString(); // "café"
 * ```
 */
export const percentDecode = (text: string): Buffer =>
  Buffer.concat(
    text
      .split(/(%[0-9a-fA-F]{2})/)
      .map((part) =>
        /^%[0-9a-fA-F]{2}$/.test(part)
          ? Buffer.of(Number.parseInt(part.slice(1), 16))
          : Buffer.from(part, "utf8"),
      ),
  );

const queryArgs = (search: string): Buffer[] =>
  search
    .replace(/^\?/, "")
    .split("&")
    .filter((pair) => pair !== "")
    .flatMap((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? "" : pair.slice(eq + 1);
      if (percentDecode(name).toString() === TOKEN_QUERY_PARAM) return [];
      return value === "" ? [percentDecode(name)] : [percentDecode(name), percentDecode(value)];
    });

/**
 * Builds a command from Upstash's URL form: `/set/foo/bar?EX=100`. A non-empty
 * POST body is the value and goes after the path arguments, before the query
 * ones, so `POST /set/foo?EX=100` with body `v` is `SET foo v EX 100`.
 *
 * @example
 * ```ts
 * commandFromPath("/set/foo", "?EX=100", Buffer.from("bar")).map(String);
 * // ["set", "foo", "bar", "EX", "100"]
 * ```
 */
export const commandFromPath = (
  pathname: string,
  search: string,
  body?: Uint8Array,
): CommandArgs => {
  const segments = pathname.replace(/^\//, "").replace(/\/$/, "").split("/");
  const [name, ...rest] = segments.map(percentDecode);
  if (name === undefined || name.length === 0) {
    throw new RestProtocolError(
      400,
      "ERR no command given: use POST / with a JSON array or /cmd/arg…",
    );
  }
  const value = body !== undefined && body.length > 0 ? [Buffer.from(body)] : [];
  return [name, ...rest, ...value, ...queryArgs(search)];
};
