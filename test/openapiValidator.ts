import Ajv2020 from "ajv/dist/2020.js";

type Json = Record<string, unknown>;

/**
 * Closes every object schema that names its properties. zod documents objects
 * as open (a newer server may add fields and older clients still read the
 * rest), but a test of this server's own answers wants a field the document
 * does not name to fail, not pass unseen.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  const names = out.type === "object" && "properties" in out && !("additionalProperties" in out);
  return names ? { ...out, additionalProperties: false } : out;
}

/**
 * Checks a body against the document's own schema for one operation's
 * response; `[]` when it matches, else ajv's errors. Exact by default: a
 * field the document lacks fails like a missing or mistyped one.
 *
 * @example
 * const check = responseValidator(await (await app.request("/openapi.json")).json());
 * expect(check("/v1/status", "get", await (await app.request("/v1/status")).json())).toEqual([]);
 */
export function responseValidator(document: Json, options: { exact?: boolean } = {}) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const exact = options.exact ?? true;
  ajv.addSchema({ components: exact ? closed(document.components) : document.components }, "doc");
  return (path: string, method: string, body: unknown, status = "200") => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const op = paths[path]?.[method] as { responses: Record<string, unknown> } | undefined;
    if (!op) throw new Error(`the document has no ${method} ${path}`);
    const response = op.responses[status] as { content: Record<string, { schema: unknown }> };
    const schema = JSON.stringify(response.content["application/json"]?.schema);
    const bound = JSON.parse(schema.replaceAll('"#/components', '"doc#/components'));
    const check = ajv.compile(exact ? (closed(bound) as Json) : bound);
    return check(body) ? [] : (check.errors ?? []);
  };
}
