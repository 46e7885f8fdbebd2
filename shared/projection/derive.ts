import type { Category, Product } from "../domain/catalog.ts";
import {
  type CategoryRef,
  listingSorts,
  type ProductPage,
  type ProductSummary,
  type StockStatus,
} from "../views/readModels.ts";
import type { AttributeEntry, ListingEntry, SearchEntry } from "./records.ts";
import { listingSortKeys, nameKey } from "./sortKeys.ts";
import { compareCodePoints, searchTerms } from "./text.ts";

/** At or below this many units (and above zero) a product shows "low stock". */
export const lowStockThreshold = 5;

/**
 * @example
 * stockStatusOf(0); // → "out_of_stock"
 * stockStatusOf(3); // → "low_stock"
 */
export function stockStatusOf(stock: number): StockStatus {
  if (stock <= 0) return "out_of_stock";
  return stock <= lowStockThreshold ? "low_stock" : "in_stock";
}

const refOf = (c: Category): CategoryRef => ({ id: c.id, slug: c.slug, name: c.name });

/**
 * Root-first chain of categories ending with `id` itself. Categories are
 * never re-parented, but a cycle in a corrupt log must not hang the fold.
 *
 * @example
 * categoryPath(categories, "cat_lamps").map((c) => c.slug); // → ["home", "lamps"]
 */
export function categoryPath(categories: ReadonlyMap<string, Category>, id: string): CategoryRef[] {
  // Trees are a few levels deep: looking back along the path finds a repeat
  // without a Set per page. A longer chain walks again with one.
  const path: CategoryRef[] = [];
  for (let c = categories.get(id); c && !onPath(path, c.id); ) {
    if (path.length === shortPath) return longCategoryPath(categories, id);
    path.push(refOf(c));
    c = c.parentId === null ? undefined : categories.get(c.parentId);
  }
  return path.reverse();
}

const shortPath = 16;

function onPath(path: readonly CategoryRef[], id: string): boolean {
  for (const ref of path) if (ref.id === id) return true;
  return false;
}

function longCategoryPath(categories: ReadonlyMap<string, Category>, id: string): CategoryRef[] {
  const path: CategoryRef[] = [];
  const seen = new Set<string>();
  for (let c = categories.get(id); c && !seen.has(c.id); ) {
    seen.add(c.id);
    path.push(refOf(c));
    c = c.parentId === null ? undefined : categories.get(c.parentId);
  }
  return path.reverse();
}

/**
 * The product page, or null for drafts: they are not for sale yet.
 *
 * @example
 * pageOf(product, categories)?.category.path.map((c) => c.name); // → ["Home", "Lamps"]
 */
export function pageOf(p: Product, categories: ReadonlyMap<string, Category>): ProductPage | null {
  if (p.status === "draft") return null;
  const category = categories.get(p.categoryId);
  return {
    id: p.id,
    sku: p.sku,
    slug: p.slug,
    name: p.name,
    description: p.description,
    price: { amount: p.price.amount, currency: p.price.currency },
    status: p.status,
    attributes: { ...p.attributes },
    stock: p.stock,
    stockStatus: stockStatusOf(p.stock),
    category: {
      id: category ? category.id : p.categoryId,
      slug: category ? category.slug : "",
      name: category ? category.name : "",
      path: categoryPath(categories, p.categoryId),
    },
    createdSeq: p.createdSeq,
    version: p.version,
  };
}

/** @example summaryOf(product).stockStatus; // → "in_stock" */
export function summaryOf(p: Product): ProductSummary {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    price: { amount: p.price.amount, currency: p.price.currency },
    stockStatus: stockStatusOf(p.stock),
    createdSeq: p.createdSeq,
    version: p.version,
  };
}

/**
 * The listing entry of an active product; null for any other status.
 *
 * @example
 * listingOf({ ...product, status: "archived" }); // → null
 */
export function listingOf(p: Product | null): ListingEntry | null {
  if (p === null || p.status !== "active") return null;
  return {
    id: p.id,
    categoryId: p.categoryId,
    inStock: p.stock > 0,
    currency: p.price.currency,
    amount: p.price.amount,
    keys: listingSortKeys({
      id: p.id,
      name: p.name,
      amount: p.price.amount,
      createdSeq: p.createdSeq,
    }),
  };
}

/** @example sameListingEntry(listingOf(p), listingOf({ ...p, version: 9 })); // → true */
export function sameListingEntry(a: ListingEntry | null, b: ListingEntry | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.categoryId === b.categoryId &&
    a.inStock === b.inStock &&
    a.currency === b.currency &&
    a.amount === b.amount &&
    listingSorts.every((sort) => a.keys[sort] === b.keys[sort])
  );
}

/**
 * The search entry of an active product; null for any other status.
 *
 * @example
 * searchOf(activeLamp)?.terms; // → [["lamp", 3], …]
 */
export function searchOf(p: Product | null): SearchEntry | null {
  if (p === null || p.status !== "active") return null;
  return { id: p.id, terms: searchTerms(p.name, p.description) };
}

/**
 * An attribute value as the facet filter compares it: strings as they are,
 * numbers as `String(n)`, booleans as "true" / "false".
 *
 * @example
 * attributeValueText(42); // → "42"
 * attributeValueText(false); // → "false"
 */
export const attributeValueText = (value: string | number | boolean): string =>
  typeof value === "string" ? value : String(value);

/**
 * The facet entry of an active product with attributes; null for any other
 * status and for a product without attributes.
 *
 * @example
 * attributeEntryOf(activeLamp)?.pairs; // → [["color", "red"], ["size", "3"]]
 */
export function attributeEntryOf(p: Product | null): AttributeEntry | null {
  if (p === null || p.status !== "active") return null;
  const entries = Object.entries(p.attributes);
  if (entries.length === 0) return null;
  const pairs = entries
    .map(([name, value]): [string, string] => [name, attributeValueText(value)])
    .sort((a, b) => compareCodePoints(a[0], b[0]));
  const sortKey = nameKey(p.name, p.id);
  return { id: p.id, sortKey, pairs };
}

/**
 * @example
 * sameAttributeEntry(attributeEntryOf(before), attributeEntryOf(after)); // → true after a stock change
 */
export function sameAttributeEntry(a: AttributeEntry | null, b: AttributeEntry | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.sortKey === b.sortKey &&
    a.pairs.length === b.pairs.length &&
    a.pairs.every(([n, v], i) => b.pairs[i]?.[0] === n && b.pairs[i]?.[1] === v)
  );
}
