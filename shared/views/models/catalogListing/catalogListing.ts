import { compareCodePoints } from "../../../projection/text.ts";
import { decodeListingCursor, encodeListingCursor } from "../../cursor.ts";
import { cutPage, pageLimit } from "../../queries.ts";
import {
  type ListingSort,
  listingSorts,
  type Page,
  type ProductSummary,
} from "../../readModels.ts";
import { readPrelude } from "../../stores/redis/readLua.ts";
import { pagedReply } from "../../stores/redis/replies.ts";
import type { ViewTables } from "../../stores/sql/tables.ts";
import { pageBody, pageText } from "../bodies.ts";
import { examplePageSize } from "../examples.ts";
import { pageRows } from "../pageRows.ts";
import {
  cursorDoc,
  cursorOf,
  flagOf,
  inStockDoc,
  limitDoc,
  limitOf,
  queryString,
  sortDoc,
  sortOf,
} from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";

export interface CatalogListingInput {
  sort?: ListingSort;
  inStock?: boolean;
  limit?: number;
  cursor?: string;
}

export interface CatalogListingPlan {
  sort: ListingSort;
  inStock: boolean;
  limit: number;
  after: string | null;
}

// SQL: one index per sort over the whole listing table, and a partial one per
// sort for in-stock products, so a page is a bounded range scan in key order.
const indexName = (t: ViewTables, sort: ListingSort, inStock: boolean) =>
  `${t.listing}_catalog_${sort}${inStock ? "_in_stock" : ""}`;

const indexes = (t: ViewTables) =>
  listingSorts.flatMap((sort) => [
    `CREATE INDEX IF NOT EXISTS ${indexName(t, sort, false)} ON ${t.listing} (key_${sort})`,
    `CREATE INDEX IF NOT EXISTS ${indexName(t, sort, true)} ON ${t.listing} (key_${sort}) WHERE in_stock = 1`,
  ]);

const pageSql = (t: ViewTables, sort: ListingSort, inStock: boolean, after: boolean) => {
  const key = `key_${sort}`;
  const where = [inStock ? "l.in_stock = 1" : "", after ? `l.${key} > ?2` : ""].filter(Boolean);
  return `SELECT (SELECT watermark FROM ${t.meta} WHERE id = 1) AS w, s.data AS s, l.${key} AS k
    FROM ${t.listing} l JOIN ${t.summary} s ON s.product_id = l.product_id
    ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY l.${key} LIMIT ?1`;
};

// Redis: a lex zset per sort and filter across categories, `sortKey NUL id`
// members as in a category's, kept by the apply script beside those.
const zsetPart = "catalog:";

const redisListing = `function(id, entry, add)
  for _, sort in ipairs(SORTS) do
    local member = entry.keys[sort] .. "\\0" .. id
    local all, inStock = P .. "${zsetPart}" .. sort .. ":all", P .. "${zsetPart}" .. sort .. ":in"
    if add then later("ZADD", all, 0, member) else later("ZREM", all, member) end
    if entry.inStock then
      if add then later("ZADD", inStock, 0, member) else later("ZREM", inStock, member) end
    end
  end
end`;

/** ARGV: prefix, sort, filter ("all" | "in"), the sort key to continue after ("" first), limit. */
const lua = `${readPrelude}
local limit = tonumber(ARGV[5])
local key = P .. "${zsetPart}" .. ARGV[2] .. ":" .. ARGV[3]
return pageReply(lexPage(key, ARGV[4], limit + 1), limit)
`;

const cursorAfter = (plan: CatalogListingPlan) => (key: string) =>
  encodeListingCursor({ sort: plan.sort, inStock: plan.inStock, after: key });

/**
 * Every active product of the catalog in one of four orders, optionally only
 * those in stock, keyset-paginated: the home page's "new arrivals" (`newest`)
 * or "bargains" (`price_asc`). The category listing's records and cursors,
 * over indexes across categories.
 */
export const catalogListing = readModel<
  CatalogListingInput,
  CatalogListingPlan,
  Page<ProductSummary>,
  "catalogListing",
  "page"
>({
  name: "catalogListing",
  version: 1,
  key: "page",
  path: "/products",
  summary: "every active product of the catalog, keyset-paginated (new arrivals, bargains)",
  parameters: [sortDoc, inStockDoc, limitDoc, cursorDoc],
  statuses: [400, 422],
  responseName: "CatalogListingResponse",
  data: pageSchema(productSummarySchema),
  notFound: null,
  input: (req) => ({
    sort: sortOf(req),
    inStock: flagOf(req, "inStock"),
    limit: limitOf(req),
    cursor: cursorOf(req),
  }),
  url: (input) => `/products${queryString({ ...input })}`,
  plan(input) {
    const sort = input.sort ?? "newest";
    const inStock = input.inStock ?? false;
    const limit = pageLimit(input.limit ?? 20);
    const after =
      input.cursor === undefined ? null : decodeListingCursor(input.cursor, { sort, inStock });
    return { sort, inStock, limit, after };
  },
  examples: () =>
    listingSorts.flatMap((sort) =>
      [false, true].map((inStock) => ({ sort, inStock, limit: examplePageSize })),
    ),
  indexes: { sql: indexes, redisListing },
  sql: (t) => {
    const texts = new Map<string, string>();
    const textOf = (plan: CatalogListingPlan) => {
      const id = `${plan.sort} ${plan.inStock} ${plan.after !== null}`;
      let text = texts.get(id);
      if (text === undefined) {
        text = pageSql(t, plan.sort, plan.inStock, plan.after !== null);
        texts.set(id, text);
      }
      return text;
    };
    const head = `SELECT watermark AS w FROM ${t.meta} WHERE id = 1`;
    return async (db, plan) => {
      const args = plan.after === null ? [plan.limit + 1] : [plan.limit + 1, plan.after];
      const { rows, head: watermark } = await pageRows<{ w: number; s: string; k: string }, number>(
        db,
        textOf(plan),
        args,
        head,
        [],
        (h, r) => Number((h ?? r[0])?.w ?? 0),
      );
      const body = pageBody(
        rows,
        plan.limit,
        (r) => r.s,
        (last) => cursorAfter(plan)(last.k),
      );
      return { watermark, body };
    };
  },
  redis: {
    lua,
    async read({ keys, script }, plan) {
      const filter = plan.inStock ? "in" : "all";
      const args = [keys.prefix, plan.sort, filter, plan.after ?? "", String(plan.limit)];
      const reply = pagedReply(await script?.exec([], args));
      const last = JSON.parse(reply.last) as string | null;
      return {
        watermark: reply.watermark,
        body: pageText(reply.items, last === null ? null : cursorAfter(plan)(last)),
      };
    },
  },
  memory(records, plan) {
    const rows = [...records.tables.listing.values()]
      .filter((l) => !plan.inStock || l.inStock)
      .flatMap((l) => {
        const item = records.tables.summary.get(l.id);
        return item ? [{ item, key: l.keys[plan.sort] }] : [];
      })
      .filter((r) => plan.after === null || compareCodePoints(r.key, plan.after) > 0)
      .sort((a, b) => compareCodePoints(a.key, b.key))
      .slice(0, plan.limit + 1);
    return cutPage(
      rows,
      plan.limit,
      (r) => r.item,
      (last) => cursorAfter(plan)(last.key),
    );
  },
});
