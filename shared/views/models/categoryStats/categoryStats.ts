import { z } from "zod";
import { readScopes } from "../../../consistency/readScopes.ts";
import type { CategoryStats } from "../../readModels.ts";
import { watermarkFrom } from "../../stores/redis/replies.ts";
import { recordText } from "../bodies.ts";
import { mentionsOf } from "../examples.ts";
import { pathSegment, slugDoc, slugOf } from "../params.ts";
import { readModel } from "../readModel.ts";
import { recordRead } from "../recordRead.ts";
import { categoryRefSchema, int } from "../schemas.ts";

const data = z.object({
  category: categoryRefSchema,
  productCount: int,
  inStockCount: int,
  prices: z.array(z.object({ currency: z.string(), count: int, min: int, max: int, avg: int })),
  version: int,
});
data satisfies z.ZodType<CategoryStats>;

/**
 * A category's materialized counts and price range per currency, stored
 * whole as its `stats` record under the category's slug: one lookup.
 */
export const categoryStats = readModel<
  { slug: string },
  { slug: string },
  CategoryStats,
  "categoryStats",
  "stats"
>({
  name: "categoryStats",
  version: 2,
  key: "stats",
  path: "/categories/:slug/stats",
  summary: "materialized counts and prices per currency",
  parameters: [slugDoc],
  statuses: [404],
  responseName: "CategoryStatsResponse",
  data,
  notFound: "no category with that slug",
  input: (req) => ({ slug: slugOf(req, "category") }),
  url: ({ slug }) => `/categories/${pathSegment(slug)}/stats`,
  plan: (input) => input,
  scopes: ({ slug }) => [readScopes.category(slug)],
  examples: (events) => mentionsOf(events).categorySlugs.map((slug) => ({ slug })),
  sql: (t) => recordRead(t.meta, t.stats, "slug", ({ slug }) => slug),
  redis: {
    async read({ redis, keys }, { slug }) {
      const [w, stats] = await redis.mget<[unknown, unknown]>([keys.watermark, keys.stats(slug)]);
      return { watermark: watermarkFrom(w), body: recordText(stats) };
    },
  },
  memory: (records, { slug }) => records.tables.stats.get(slug) ?? null,
});
