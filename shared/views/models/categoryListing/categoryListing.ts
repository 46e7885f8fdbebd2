import { readScopes } from "../../../consistency/readScopes.ts";
import { type ListingPlan as ListingPagePlan, listingCursorAfter } from "../../queries.ts";
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
import { examplePageSize, mentionsOf } from "../examples.ts";
import {
  listingDocs,
  listingInputOf,
  listingStatements,
  memoryListing,
  type ListingInput as PageInput,
  planListing,
} from "../listings.ts";
import { type PageStatements, pageBodyOf, pageStatements, readPage } from "../pageRows.ts";
import { pathSegment, queryString, slugDoc, slugOf } from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";

export interface ListingInput extends PageInput {
  slug: string;
}

/** A listing query validated: continue strictly after the sort key `after`. */
export interface ListingPlan extends ListingPagePlan {
  slug: string;
}

const sortColumn = (sort: ListingSort) => `key_${sort}`;

/**
 * One statement per sort × filter × first-or-later page: a range scan of
 * that sort's index in key order, which carries the summaries (layout 7) and
 * the stock flag the in-stock filter skips by, and whether the category
 * exists when the page is empty. ?1 slug, ?2 limit, ?3 the key to continue after.
 */
function listingSql(
  t: ViewTables,
  sort: ListingSort,
  inStock: boolean,
  after: boolean,
): PageStatements {
  const key = `l.${sortColumn(sort)}`;
  const where = [
    `l.category_id = (SELECT id FROM ${t.category} WHERE slug = ?1)`,
    ...(inStock ? ["l.in_stock = 1"] : []),
    ...(after ? [`${key} > ?3`] : []),
  ].join(" AND ");
  const exists = `EXISTS (SELECT 1 FROM ${t.category} WHERE slug = ?1)`;
  return pageStatements(
    t,
    { range: `${t.listing} l`, join: "", where, key, item: "l.data" },
    "?2",
    exists,
  );
}

/**
 * ARGV: prefix, category slug, sort, filter ("all" | "in"), the sort key to
 * continue after ("" for the first page), limit. A page of the category's
 * lex zset for that sort and filter (members `sortKey NUL id`; no sort key
 * holds a NUL, so the members after key `k` are those from `k` + byte 1 on).
 */
const lua = `${readPrelude}
local category = redis.call("HGET", K.categorySlug, ARGV[2])
if not category then return missingReply() end
local limit = tonumber(ARGV[6])
return lexPageReply(K.order(ARGV[3], ARGV[4], category), ARGV[5], limit)
`;

/**
 * Active products of a category, in one of four orders, optionally only those
 * in stock, keyset-paginated: `limit + 1` rows of a sort index after the
 * cursor's key, their stored summaries spliced into the page.
 */
export const categoryListing = readModel<
  ListingInput,
  ListingPlan,
  Page<ProductSummary>,
  "categoryListing",
  "page"
>({
  name: "categoryListing",
  version: 2,
  key: "page",
  path: "/categories/:slug/products",
  summary: "active products of a category, keyset-paginated",
  parameters: [slugDoc, ...listingDocs],
  statuses: [400, 404, 422],
  responseName: "CategoryListingResponse",
  data: pageSchema(productSummarySchema),
  notFound: "no category with that slug",
  input: (req) => ({ slug: slugOf(req, "category"), ...listingInputOf(req) }),
  url: ({ slug, ...query }) => `/categories/${pathSegment(slug)}/products${queryString(query)}`,
  plan: ({ slug, ...page }) => ({ slug, ...planListing(page) }),
  scopes: ({ slug }) => [readScopes.category(slug)],
  examples: (events) =>
    mentionsOf(events).categorySlugs.flatMap((slug) =>
      listingSorts.flatMap((sort) =>
        [false, true].map((inStock) => ({ slug, sort, inStock, limit: examplePageSize })),
      ),
    ),
  sql: (t) => {
    const textOf = listingStatements((sort, inStock, after) => listingSql(t, sort, inStock, after));
    return async (db, plan) => {
      const args =
        plan.after === null ? [plan.slug, plan.limit] : [plan.slug, plan.limit, plan.after];
      const page = await readPage(db, textOf(plan), args, [plan.slug], plan.limit);
      const body = page.found ? pageBodyOf(page, (key) => listingCursorAfter(plan, key)) : null;
      return { watermark: page.w, body };
    };
  },
  redis: {
    lua,
    async read({ keys, script }, plan) {
      const filter = plan.inStock ? "in" : "all";
      const args = [
        keys.prefix,
        plan.slug,
        plan.sort,
        filter,
        plan.after ?? "",
        String(plan.limit),
      ];
      const reply = pagedReply(await script?.exec([], args));
      if (reply.last === "missing") return { watermark: reply.watermark, body: null };
      const last = JSON.parse(reply.last) as string | null;
      const next = last === null ? null : listingCursorAfter(plan, last);
      return { watermark: reply.watermark, body: pageText(reply.items, next) };
    },
  },
  memory(records, plan) {
    const category = records.categoryBySlug(plan.slug);
    return category ? memoryListing(records, plan, category.id) : null;
  },
});
