import { readScopes } from "../../../consistency/readScopes.ts";
import { compareCodePoints } from "../../../projection/text.ts";
import { attributePlan } from "../../attributeQueries.ts";
import { encodeAttributeCursor } from "../../cursor.ts";
import { cutPage } from "../../queries.ts";
import type { Page, ProductSummary } from "../../readModels.ts";
import { readPrelude } from "../../stores/redis/readLua.ts";
import { pagedReply } from "../../stores/redis/replies.ts";
import type { ViewTables } from "../../stores/sql/tables.ts";
import { pageText } from "../bodies.ts";
import { examplePageSize, mentionsOf } from "../examples.ts";
import { pageStatements, summaryPage } from "../pageRows.ts";
import {
  attributeDoc,
  attributeParam,
  cursorDoc,
  cursorOf,
  limitDoc,
  limitOf,
  pathSegment,
  queryString,
} from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";

export interface AttributeProductsInput {
  name: string;
  value: string;
  limit?: number;
  cursor?: string;
}

/** A facet query with its input checked: continue strictly after the name sort key `after`. */
export interface AttributeProductsPlan {
  name: string;
  value: string;
  limit: number;
  after: string | null;
}

// A range scan of the attribute table's primary key in sort-key order,
// summaries joined by id (so a stock or price change never touches facet rows).
// ?1 name, ?2 value, ?3 limit, ?4 the sort key to continue after.
const facetSql = (t: ViewTables, after: boolean) =>
  pageStatements(
    t,
    {
      range: `${t.attribute} a`,
      join: `JOIN ${t.summary} s ON s.product_id = a.product_id`,
      where: `a.name = ?1 AND a.value = ?2 ${after ? "AND a.sort_key > ?4" : ""}`,
      key: "a.sort_key",
      item: "s.data",
    },
    "?3",
  );

/**
 * ARGV: prefix, attribute name, value, the sort key to continue after ("" for
 * the first page), limit. An unknown name or value is simply an empty zset.
 */
const lua = `${readPrelude}
local limit = tonumber(ARGV[5])
return lexPageReply(K.facet(ARGV[2], ARGV[3]), ARGV[4], limit)
`;

/**
 * Active products whose attribute `name` has `value` (as text), by name then
 * id; keyset-paginated. Never a 404: a storefront can offer a filter before
 * any product carries it.
 */
export const productsByAttribute = readModel<
  AttributeProductsInput,
  AttributeProductsPlan,
  Page<ProductSummary>,
  "productsByAttribute",
  "products"
>({
  name: "productsByAttribute",
  version: 1,
  key: "products",
  path: "/attributes/:name/:value/products",
  summary:
    "active products whose attribute has a value (faceted filter), by name; keyset-paginated",
  parameters: [attributeDoc("name"), attributeDoc("value"), limitDoc, cursorDoc],
  statuses: [400, 422],
  responseName: "AttributeProductsResponse",
  data: pageSchema(productSummarySchema),
  notFound: null,
  input: (req) => ({
    name: attributeParam(req, "name"),
    value: attributeParam(req, "value"),
    limit: limitOf(req),
    cursor: cursorOf(req),
  }),
  url: ({ name, value, ...query }) =>
    `/attributes/${pathSegment(name)}/${pathSegment(value)}/products${queryString(query)}`,
  plan: (input) =>
    attributePlan(input.name, input.value, { limit: input.limit ?? 20, cursor: input.cursor }),
  scopes: () => [readScopes.facets],
  examples: (events) =>
    mentionsOf(events).facets.map(([name, value]) => ({ name, value, limit: examplePageSize })),
  sql: (t) => {
    const first = facetSql(t, false);
    const later = facetSql(t, true);
    return (db, plan) =>
      summaryPage(
        db,
        plan.after === null ? first : later,
        plan.after === null
          ? [plan.name, plan.value, plan.limit]
          : [plan.name, plan.value, plan.limit, plan.after],
        plan.limit,
        encodeAttributeCursor,
      );
  },
  redis: {
    lua,
    async read({ keys, script }, plan) {
      const args = [keys.prefix, plan.name, plan.value, plan.after ?? "", String(plan.limit)];
      const reply = pagedReply(await script?.exec([], args));
      const last = JSON.parse(reply.last) as string | null;
      const next = last === null ? null : encodeAttributeCursor(last);
      return { watermark: reply.watermark, body: pageText(reply.items, next) };
    },
  },
  memory(records, plan) {
    const rows = [...records.tables.attribute.values()]
      .filter((a) => a.pairs.some(([n, v]) => n === plan.name && v === plan.value))
      .filter((a) => plan.after === null || compareCodePoints(a.sortKey, plan.after) > 0)
      .sort((a, b) => compareCodePoints(a.sortKey, b.sortKey))
      .slice(0, plan.limit + 1)
      .flatMap((a) => {
        const summary = records.tables.summary.get(a.id);
        return summary ? [{ item: summary, key: a.sortKey }] : [];
      });
    return cutPage(
      rows,
      plan.limit,
      (r) => r.item,
      (last) => encodeAttributeCursor(last.key),
    );
  },
});
