import { z } from "zod";
import { moneySchema } from "../commands/schemas.ts";
import { productStatuses } from "../domain/catalog.ts";
import type {
  AttributeValues,
  CategoryRef,
  CategoryStats,
  NavigationNode,
  Page,
  ProductPage,
  ProductSummary,
  SearchHit,
} from "../views/readModels.ts";

// Each schema is checked against its read-model type, so a changed view breaks the build, not the docs.
const int = z.number().int();
const stockStatus = z.enum(["in_stock", "low_stock", "out_of_stock"]);
const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const categoryRef = z.object({ id: z.string(), slug: z.string(), name: z.string() });
categoryRef satisfies z.ZodType<CategoryRef>;

const productPage = z.object({
  id: z.string(),
  sku: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  price: moneySchema,
  status: z.enum(productStatuses.filter((s) => s !== "draft") as ["active", "archived"]),
  attributes,
  stock: int,
  stockStatus,
  category: categoryRef.extend({ path: z.array(categoryRef) }),
  createdSeq: int,
  version: int,
});
productPage satisfies z.ZodType<ProductPage>;

const productSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  price: moneySchema,
  stockStatus,
  createdSeq: int,
  version: int,
});
productSummary satisfies z.ZodType<ProductSummary>;
const searchHit = productSummary.extend({ score: z.number() });
searchHit satisfies z.ZodType<SearchHit>;

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
pageOf(productSummary) satisfies z.ZodType<Page<ProductSummary>>;

const categoryStats = z.object({
  category: categoryRef,
  productCount: int,
  inStockCount: int,
  prices: z.array(z.object({ currency: z.string(), count: int, min: int, max: int, avg: int })),
  version: int,
});
categoryStats satisfies z.ZodType<CategoryStats>;

const navigationNode: z.ZodType<NavigationNode> = categoryRef.extend({
  productCount: int,
  totalProductCount: int,
  version: int,
  get children() {
    return z.array(navigationNode);
  },
});

const attributeValues = z.object({
  name: z.string(),
  values: z.array(z.object({ value: z.string(), count: int.min(1) })),
});
attributeValues satisfies z.ZodType<AttributeValues>;

const watermark = int.min(0);

/** Response bodies, by component name; the read paths answer `{ <key>: data, watermark }`. */
export const responseSchemas = {
  NavigationNode: navigationNode,
  ProductResponse: z.object({ product: productPage, watermark }),
  CategoriesResponse: z.object({ categories: z.array(navigationNode), watermark }),
  CategoryListingResponse: z.object({ page: pageOf(productSummary), watermark }),
  CategoryStatsResponse: z.object({ stats: categoryStats, watermark }),
  SearchResponse: z.object({ page: pageOf(searchHit), watermark }),
  AttributeProductsResponse: z.object({ products: pageOf(productSummary), watermark }),
  AttributeValuesResponse: z.object({ attribute: attributeValues, watermark }),
  CommandResult: z.object({
    version: int.min(1),
    results: z.array(z.object({ id: z.string() })),
  }),
  WriteApiStatus: z.object({
    role: z.literal("primary"),
    head: int,
    published: int,
    watermark: int,
    digest: z.string(),
  }),
  ReaderStatus: z.object({
    region: z.string(),
    runtime: z.string(),
    store: z.string(),
    role: z.literal("replica"),
    watermark: int,
    digest: z.string(),
    knownHead: int,
    lagEvents: int,
    lastApplyAt: z.string().nullable(),
    lastHeardAt: z.string().nullable(),
    sinceHeardMs: int.nullable(),
    lastPoison: z
      .object({ at: z.string().nullable(), message: z.string(), details: z.unknown() })
      .nullable(),
  }),
  IngestResult: z.object({
    status: z.enum(["applied", "duplicate"]),
    watermark: int,
    pulled: int,
  }),
  Health: z.object({ ok: z.literal(true) }),
} as const;
