import { eq } from "drizzle-orm";
import type { Command } from "../../shared/commands/schemas.ts";
import type { Attributes, Category, Product } from "../../shared/domain/catalog.ts";
import { categories, products } from "../db/schema.ts";
import type { Tx } from "../db/writeTransactions.ts";
import type { DecisionState } from "./decisionState.ts";

const categoryWhere = async (tx: Tx, where: ReturnType<typeof eq>): Promise<Category | null> =>
  (await tx.select().from(categories).where(where).limit(1))[0] ?? null;

const productById = async (tx: Tx, id: string): Promise<Product | null> => {
  const row = (await tx.select().from(products).where(eq(products.id, id)).limit(1))[0];
  if (!row) return null;
  const { priceAmount, priceCurrency, attributes, ...rest } = row;
  return {
    ...rest,
    price: { amount: priceAmount, currency: priceCurrency },
    attributes: attributes as Attributes,
  };
};

const exists = async (
  tx: Tx,
  table: typeof products | typeof categories,
  where: ReturnType<typeof eq>,
) => (await tx.select({ id: table.id }).from(table).where(where).limit(1)).length > 0;

/** Loads, inside the write transaction, exactly what `decide` needs for this command. */
export async function loadDecisionState(tx: Tx, command: Command): Promise<DecisionState> {
  switch (command.type) {
    case "category.create":
      return {
        slugTaken: await exists(tx, categories, eq(categories.slug, command.slug)),
        parent:
          command.parentSlug === undefined
            ? undefined
            : await categoryWhere(tx, eq(categories.slug, command.parentSlug)),
      };
    case "category.rename":
      return { category: await categoryWhere(tx, eq(categories.id, command.id)) };
    case "product.create":
      return {
        skuTaken: await exists(tx, products, eq(products.sku, command.sku)),
        slugTaken: await exists(tx, products, eq(products.slug, command.slug)),
        category: await categoryWhere(tx, eq(categories.slug, command.categorySlug)),
      };
    case "product.update":
      return {
        product: await productById(tx, command.id),
        category:
          command.categorySlug === undefined
            ? undefined
            : await categoryWhere(tx, eq(categories.slug, command.categorySlug)),
      };
    default:
      return { product: await productById(tx, command.id) };
  }
}
