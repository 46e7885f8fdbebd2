import type { Command } from "../../shared/commands/schemas.ts";
import type { Attributes, Category, Product, ProductStatus } from "../../shared/domain/catalog.ts";
import type { Tx } from "../db/writeTransactions.ts";
import type { DecisionState } from "./decisionState.ts";

interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  parent_id: string | null;
  version: number;
  [column: string]: unknown;
}

interface ProductRow {
  id: string;
  sku: string;
  slug: string;
  name: string;
  description: string;
  category_id: string;
  price_amount: number;
  price_currency: string;
  status: ProductStatus;
  attributes: string;
  stock: number;
  created_seq: number;
  version: number;
  [column: string]: unknown;
}

const categoryColumns = "SELECT id, slug, name, parent_id, version FROM categories";
const categoryBySlug = `${categoryColumns} WHERE slug = ?`;
const categoryById = `${categoryColumns} WHERE id = ?`;
const productById = `SELECT id, sku, slug, name, description, category_id, price_amount, price_currency,
  status, attributes, stock, created_seq, version FROM products WHERE id = ?`;
const categorySlugTaken = "SELECT 1 AS taken FROM categories WHERE slug = ?";
const productSkuTaken = "SELECT 1 AS taken FROM products WHERE sku = ?";
const productSlugTaken = "SELECT 1 AS taken FROM products WHERE slug = ?";

const category = async (tx: Tx, statement: string, key: string): Promise<Category | null> => {
  const row = await tx.first<CategoryRow>(statement, [key]);
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    parentId: row.parent_id,
    version: Number(row.version),
  };
};

/** A product row of the normalized tables, as the domain shapes it. */
export const loadProduct = async (tx: Tx, id: string): Promise<Product | null> => {
  const row = await tx.first<ProductRow>(productById, [id]);
  if (!row) return null;
  return {
    id: row.id,
    sku: row.sku,
    slug: row.slug,
    name: row.name,
    description: row.description,
    categoryId: row.category_id,
    price: { amount: Number(row.price_amount), currency: row.price_currency },
    status: row.status,
    attributes: JSON.parse(row.attributes) as Attributes,
    stock: Number(row.stock),
    createdSeq: Number(row.created_seq),
    version: Number(row.version),
  };
};

/** A category row of the normalized tables, as the domain shapes it. */
export const loadCategory = (tx: Tx, id: string): Promise<Category | null> =>
  category(tx, categoryById, id);

const taken = async (tx: Tx, statement: string, key: string): Promise<boolean> =>
  (await tx.first(statement, [key])) !== undefined;

/** Loads, inside the write transaction, exactly what `decide` needs for this command. */
export async function loadDecisionState(tx: Tx, command: Command): Promise<DecisionState> {
  switch (command.type) {
    case "category.create":
      return {
        slugTaken: await taken(tx, categorySlugTaken, command.slug),
        parent:
          command.parentSlug === undefined
            ? undefined
            : await category(tx, categoryBySlug, command.parentSlug),
      };
    case "category.rename":
      return { category: await category(tx, categoryById, command.id) };
    case "product.create":
      return {
        skuTaken: await taken(tx, productSkuTaken, command.sku),
        slugTaken: await taken(tx, productSlugTaken, command.slug),
        category: await category(tx, categoryBySlug, command.categorySlug),
      };
    case "product.update":
      return {
        product: await loadProduct(tx, command.id),
        category:
          command.categorySlug === undefined
            ? undefined
            : await category(tx, categoryBySlug, command.categorySlug),
      };
    default:
      return { product: await loadProduct(tx, command.id) };
  }
}
