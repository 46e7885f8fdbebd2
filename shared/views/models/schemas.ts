import { z } from "zod";
import { moneySchema } from "../../commands/schemas.ts";
import type { CategoryRef, Page, ProductSummary } from "../readModels.ts";

// The zod pieces several read models' answers share. Each schema is checked
// against its read-model type, so a changed view breaks the build, not the docs.

export const int = z.number().int();
export const stockStatusSchema = z.enum(["in_stock", "low_stock", "out_of_stock"]);
export const categoryRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });
categoryRefSchema satisfies z.ZodType<CategoryRef>;

export const productSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  price: moneySchema,
  stockStatus: stockStatusSchema,
  createdSeq: int,
  version: int,
});
productSummarySchema satisfies z.ZodType<ProductSummary>;

/** @example pageSchema(productSummarySchema); // { items: ProductSummary[], nextCursor } */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
pageSchema(productSummarySchema) satisfies z.ZodType<Page<ProductSummary>>;
