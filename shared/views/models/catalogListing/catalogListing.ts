import { readScopes } from "../../../consistency/readScopes.ts";
import { type ListingPlan, listingCursorAfter } from "../../queries.ts";
import {
  type ListingSort,
  listingSorts,
  type Page,
  type ProductSummary,
} from "../../readModels.ts";
import { readPrelude } from "../../stores/redis/readLua.ts";
import { pagedReply } from "../../stores/redis/replies.ts";
import type { ViewTables } from "../../stores/sql/tables.ts";
import { pageText } from "../bodies.ts";
import { examplePageSize } from "../examples.ts";
import {
  type ListingInput,
  listingDocs,
  listingInputOf,
  listingStatements,
  memoryListing,
  planListing,
} from "../listings.ts";
import { pageStatements, summaryPage } from "../pageRows.ts";
import { queryString } from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";

// SQL: one index per sort over the whole listing table, so a page is a bounded
// range scan in key order; each carries the product id, so the scan never
// reads the table, and the stock flag, which the in-stock filter reads there.
const indexes = (t: ViewTables) =>
  listingSorts.map(
    (sort) =>
      `CREATE INDEX IF NOT EXISTS ${t.listing}_catalog_${sort} ON ${t.listing} (key_${sort}, product_id, in_stock)`,
  );

/** ?1 limit, ?2 the key to continue after. */
const catalogSql = (t: ViewTables, sort: ListingSort, inStock: boolean, after: boolean) => {
  const key = `l.key_${sort}`;
  const where = [inStock ? "l.in_stock = 1" : "1", ...(after ? [`${key} > ?2`] : [])].join(" AND ");
  const join = `JOIN ${t.summary} s ON s.product_id = l.product_id`;
  return pageStatements(t, { range: `${t.listing} l`, join, where, key, item: "s.data" }, "?1");
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
return lexPageReply(key, ARGV[4], limit)
`;

/**
 * Every active product of the catalog in one of four orders, optionally only
 * those in stock, keyset-paginated: the home page's "new arrivals" (`newest`)
 * or "bargains" (`price_asc`). The category listing's records and cursors,
 * over indexes across categories.
 */
export const catalogListing = readModel<
  ListingInput,
  ListingPlan,
  Page<ProductSummary>,
  "catalogListing",
  "page"
>({
  name: "catalogListing",
  version: 1,
  key: "page",
  path: "/products",
  summary: "every active product of the catalog, keyset-paginated (new arrivals, bargains)",
  parameters: listingDocs,
  statuses: [400, 422],
  responseName: "CatalogListingResponse",
  data: pageSchema(productSummarySchema),
  notFound: null,
  input: listingInputOf,
  url: (input) => `/products${queryString({ ...input })}`,
  plan: planListing,
  scopes: () => [readScopes.catalog],
  examples: () =>
    listingSorts.flatMap((sort) =>
      [false, true].map((inStock) => ({ sort, inStock, limit: examplePageSize })),
    ),
  indexes: { sql: indexes, redisListing },
  sql: (t) => {
    const textOf = listingStatements((sort, inStock, after) => catalogSql(t, sort, inStock, after));
    return (db, plan) => {
      const args = plan.after === null ? [plan.limit] : [plan.limit, plan.after];
      return summaryPage(db, textOf(plan), args, plan.limit, (key) =>
        listingCursorAfter(plan, key),
      );
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
        body: pageText(reply.items, last === null ? null : listingCursorAfter(plan, last)),
      };
    },
  },
  memory: (records, plan) => memoryListing(records, plan, null),
});
