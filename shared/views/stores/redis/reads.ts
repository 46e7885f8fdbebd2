import type { Redis } from "@upstash/redis";
import { navigationKey } from "../../../projection/records.ts";
import { compareCodePoints } from "../../../projection/text.ts";
import { attributePage, attributePlan, attributeText } from "../../attributeQueries.ts";
import { listingPage, listingPlan, searchPage, searchPlan } from "../../queries.ts";
import type {
  AttributeQuery,
  AttributeValues,
  CategoryListingQuery,
  CategoryStats,
  NavigationNode,
  Page,
  ProductPage,
  ProductSummary,
  SearchHit,
  SearchQuery,
} from "../../readModels.ts";
import type { Read, ViewStore } from "../../viewStore.ts";
import type { OrderFilter, RedisKeys } from "./keys.ts";
import { facetLua, facetValuesLua, listingLua, searchLua } from "./readLua.ts";
import { markedReply, recordFrom, watermarkFrom } from "./replies.ts";

type Reads = Pick<
  ViewStore,
  | "watermark"
  | "productPage"
  | "categoryListing"
  | "search"
  | "categoryStats"
  | "navigation"
  | "productsByAttribute"
  | "attributeValues"
>;

type ListingRows = Array<[sortKey: string, summary: ProductSummary]>;
type SearchRows = Array<[id: string, score: string, summary: ProductSummary]>;

/**
 * The storefront queries, each one round trip that sees one snapshot: a
 * product page is one MGET of the watermark and the page; every other query
 * is one read-only script (EVALSHA_RO, EVAL_RO after a NOSCRIPT). Paging,
 * cursors and validation are the shared query helpers, as in the SQL store.
 *
 * @example
 * const reads = redisReads(redis, redisKeys("views:"));
 * await reads.productPage("desk-lamp"); // → { watermark: 42, data: { … } }
 */
export function redisReads(redis: Redis, keys: RedisKeys): Reads {
  const script = (lua: string) => redis.createScript<unknown, true>(lua, { readonly: true });
  const scripts = {
    listing: script(listingLua),
    search: script(searchLua),
    facet: script(facetLua),
    facetValues: script(facetValuesLua),
  };
  const watermark = async () => watermarkFrom(await redis.get(keys.watermark));

  return {
    watermark,

    async productPage(slug: string): Promise<Read<ProductPage>> {
      const [w, page] = await redis.mget<[unknown, unknown]>([keys.watermark, keys.page(slug)]);
      return { watermark: watermarkFrom(w), data: recordFrom<ProductPage>(page) };
    },

    async categoryListing(
      slug: string,
      query: CategoryListingQuery,
    ): Promise<Read<Page<ProductSummary>>> {
      const plan = listingPlan(query);
      const filter: OrderFilter = plan.inStock ? "in" : "all";
      const rows = String(plan.limit + 1);
      const args = [keys.prefix, slug, plan.sort, filter, plan.after ?? "", rows];
      const [w, found] = markedReply<[string, ListingRows | null]>(
        await scripts.listing.exec([], args),
      );
      if (found === null) return { watermark: watermarkFrom(w), data: null };
      const items = found.map(([key, summary]) => ({ item: summary, key }));
      return { watermark: watermarkFrom(w), data: listingPage(plan, items) };
    },

    async search(query: SearchQuery): Promise<Read<Page<SearchHit>>> {
      const plan = searchPlan(query);
      if (plan.terms.length === 0) {
        return { watermark: await watermark(), data: { items: [], nextCursor: null } };
      }
      const after = plan.after === null ? ["", ""] : [String(plan.after.score), plan.after.id];
      const args = [keys.prefix, String(plan.limit + 1), ...after, ...plan.terms];
      const [w, found] = markedReply<[string, SearchRows]>(await scripts.search.exec([], args));
      const hits = found.map(([, score, summary]) => ({ ...summary, score: Number(score) }));
      return { watermark: watermarkFrom(w), data: searchPage(plan, hits) };
    },

    async categoryStats(slug: string): Promise<Read<CategoryStats>> {
      const [w, stats] = await redis.mget<[unknown, unknown]>([keys.watermark, keys.stats(slug)]);
      return { watermark: watermarkFrom(w), data: recordFrom<CategoryStats>(stats) };
    },

    async navigation(): Promise<Read<NavigationNode[]>> {
      const [w, tree] = await redis.mget<[unknown, unknown]>([
        keys.watermark,
        keys.navigation(navigationKey),
      ]);
      return { watermark: watermarkFrom(w), data: recordFrom<NavigationNode[]>(tree) ?? [] };
    },

    async productsByAttribute(
      name: string,
      value: string,
      query: AttributeQuery,
    ): Promise<Read<Page<ProductSummary>>> {
      const plan = attributePlan(name, value, query);
      const args = [keys.prefix, plan.name, plan.value, plan.after ?? "", String(plan.limit + 1)];
      const [w, found] = markedReply<[string, ListingRows]>(await scripts.facet.exec([], args));
      const items = found.map(([key, summary]) => ({ item: summary, key }));
      return { watermark: watermarkFrom(w), data: attributePage(plan, items) };
    },

    async attributeValues(name: string): Promise<Read<AttributeValues>> {
      attributeText("name", name);
      const [w, found] = markedReply<[string, Array<[string, string]>]>(
        await scripts.facetValues.exec([], [keys.prefix, name]),
      );
      const values = found
        .map(([value, count]) => ({ value, count: Number(count) }))
        .sort((a, b) => compareCodePoints(a.value, b.value));
      return { watermark: watermarkFrom(w), data: { name, values } };
    },
  };
}
