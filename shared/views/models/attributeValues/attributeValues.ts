import { z } from "zod";
import { readScopes } from "../../../consistency/readScopes.ts";
import { compareCodePoints } from "../../../projection/text.ts";
import { attributeText } from "../../attributeQueries.ts";
import type { AttributeValueCount, AttributeValues } from "../../readModels.ts";
import { readPrelude } from "../../stores/redis/readLua.ts";
import { pagedReply } from "../../stores/redis/replies.ts";
import { jsonText } from "../bodies.ts";
import { mentionsOf } from "../examples.ts";
import { attributeDoc, attributeParam, pathSegment } from "../params.ts";
import { readModel } from "../readModel.ts";
import { int } from "../schemas.ts";

const data = z.object({
  name: z.string(),
  values: z.array(z.object({ value: z.string(), count: int.min(1) })),
});
data satisfies z.ZodType<AttributeValues>;

const body = (name: string, values: string) => `{"name":${jsonText(name)},"values":[${values}]}`;

/**
 * ARGV: prefix, attribute name. The value → count hash, each pair as its
 * answer's JSON, sorted by value in byte order (= code points; Lua's `<`
 * would follow the server's collation).
 */
const lua = `${readPrelude}
local flat = redis.call("HGETALL", K.facetValues(ARGV[2]))
local entries = {}
for i = 1, #flat, 2 do entries[#entries + 1] = { flat[i], flat[i + 1] } end
table.sort(entries, function(a, b) return bytesBefore(a[1], b[1]) end)
local rows = {}
for _, p in ipairs(entries) do
  rows[#rows + 1] = { "", '{"value":' .. jstr(p[1]) .. ',"count":' .. p[2] .. "}" }
end
return pageReply(rows, #rows)
`;

/**
 * Each value of an attribute with its count of active products, in
 * code-point order; never a 404 (an unknown attribute has no values).
 */
export const attributeValues = readModel<
  { name: string },
  { name: string },
  AttributeValues,
  "attributeValues",
  "attribute"
>({
  name: "attributeValues",
  version: 1,
  key: "attribute",
  path: "/attributes/:name",
  summary: "an attribute's values with their counts of active products, in code-point order",
  parameters: [attributeDoc("name")],
  statuses: [400],
  responseName: "AttributeValuesResponse",
  data,
  notFound: null,
  input: (req) => ({ name: attributeParam(req, "name") }),
  url: ({ name }) => `/attributes/${pathSegment(name)}`,
  plan: ({ name }) => ({ name: attributeText("name", name) }),
  scopes: () => [readScopes.facets],
  examples: (events) => mentionsOf(events).attributeNames.map((name) => ({ name })),
  // The store keeps each value's count; BINARY collation orders values by
  // UTF-8 bytes, which is code-point order.
  sql: (t) => {
    const text = `SELECT m.watermark AS w,
        (SELECT json_group_array(json_object('value', value, 'count', n)) FROM (
          SELECT value, n FROM ${t.attributeCount} WHERE name = ? AND n > 0 ORDER BY value
        )) AS v
      FROM ${t.meta} m WHERE m.id = 1`;
    return async (db, { name }) => {
      const row = await db.first<{ w: number; v: string | null }>(text, [name]);
      const values = (row?.v ?? "[]").slice(1, -1);
      return { watermark: Number(row?.w ?? 0), body: body(name, values) };
    };
  },
  redis: {
    lua,
    async read({ keys, script }, { name }) {
      const reply = pagedReply(await script?.exec([], [keys.prefix, name]));
      return { watermark: reply.watermark, body: body(name, reply.items) };
    },
  },
  memory(records, { name }) {
    const counts = new Map<string, number>();
    for (const a of records.tables.attribute.values()) {
      for (const [n, v] of a.pairs) if (n === name) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const values: AttributeValueCount[] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => compareCodePoints(a.value, b.value));
    return { name, values };
  },
});
