import { z } from "zod";
import { moneySchema } from "../../../commands/schemas.ts";
import { readScopes } from "../../../consistency/readScopes.ts";
import { productStatuses } from "../../../domain/catalog.ts";
import type { ProductPage } from "../../readModels.ts";
import { watermarkFrom } from "../../stores/redis/replies.ts";
import { recordText } from "../bodies.ts";
import { mentionsOf } from "../examples.ts";
import { pathSegment, slugDoc, slugOf } from "../params.ts";
import { readModel } from "../readModel.ts";
import { recordRead } from "../recordRead.ts";
import { categoryRefSchema, int, stockStatusSchema } from "../schemas.ts";

const data = z.object({
  id: z.string(),
  sku: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  price: moneySchema,
  status: z.enum(productStatuses.filter((s) => s !== "draft") as ["active", "archived"]),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  stock: int,
  stockStatus: stockStatusSchema,
  category: categoryRefSchema.extend({ path: z.array(categoryRefSchema) }),
  createdSeq: int,
  version: int,
});
data satisfies z.ZodType<ProductPage>;

/**
 * The product page: everything one page shows, pre-joined, stored whole as
 * the `page` record under its slug. A read is one primary-key lookup.
 */
export const productPage = readModel<
  { slug: string },
  { slug: string },
  ProductPage,
  "productPage",
  "product"
>({
  name: "productPage",
  version: 1,
  key: "product",
  path: "/products/:slug",
  summary: "the product page, pre-joined",
  parameters: [slugDoc],
  statuses: [404],
  responseName: "ProductResponse",
  data,
  notFound: "no product with that slug",
  input: (req) => ({ slug: slugOf(req, "product") }),
  url: ({ slug }) => `/products/${pathSegment(slug)}`,
  plan: (input) => input,
  scopes: ({ slug }) => [readScopes.product(slug)],
  examples: (events) => mentionsOf(events).productSlugs.map((slug) => ({ slug })),
  sql: (t) => recordRead(t.meta, t.page, "slug", ({ slug }) => slug),
  redis: {
    async read({ redis, keys }, { slug }) {
      const [w, page] = await redis.mget<[unknown, unknown]>([keys.watermark, keys.page(slug)]);
      return { watermark: watermarkFrom(w), body: recordText(page) };
    },
  },
  memory: (records, { slug }) => records.tables.page.get(slug) ?? null,
});
