import type { Category, Product } from "../domain/catalog.ts";
import type { CategoryCounters, PriceAggregate } from "./records.ts";
import { compareCodePoints } from "./text.ts";

/** What one active product adds to its category's counters. */
export interface Contribution {
  id: string;
  categoryId: string;
  inStock: boolean;
  currency: string;
  amount: number;
}

export interface PricePoint {
  id: string;
  amount: number;
}

/**
 * The cheapest and dearest `limit` active products of one category and
 * currency before the batch, read from the listing entries. Enough to find a
 * new min or max after up to `limit - 1` of them leave.
 */
export interface PriceRange {
  categoryId: string;
  currency: string;
  limit: number;
  lowest: PricePoint[];
  highest: PricePoint[];
}

/** @example groupKey("cat_1", "EUR"); // → "cat_1\u0000EUR" */
export const groupKey = (categoryId: string, currency: string) => `${categoryId}\u0000${currency}`;

/** @example contributionOf(draft); // → null */
export function contributionOf(p: Product | null | undefined): Contribution | null {
  if (p?.status !== "active") return null;
  const { id, categoryId, price } = p;
  return { id, categoryId, inStock: p.stock > 0, currency: price.currency, amount: price.amount };
}

/** @example sameContribution(contributionOf(p), contributionOf({ ...p, version: 9 })); // → true */
export const sameContribution = (a: Contribution | null, b: Contribution | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.categoryId === b.categoryId &&
    a.inStock === b.inStock &&
    a.currency === b.currency &&
    a.amount === b.amount);

/** @example ancestorsAndSelf(categories, "lamps"); // → ["lamps", "home"] */
export function ancestorsAndSelf(categories: ReadonlyMap<string, Category>, id: string): string[] {
  const ids: string[] = [];
  for (let c = categories.get(id); c && !ids.includes(c.id); ) {
    ids.push(c.id);
    c = c.parentId === null ? undefined : categories.get(c.parentId);
  }
  return ids;
}

/** @example zeroCounters("cat_1").productCount; // → 0 */
export const zeroCounters = (categoryId: string): CategoryCounters => ({
  categoryId,
  productCount: 0,
  inStockCount: 0,
  totalProductCount: 0,
  prices: [],
});

export interface GroupChange {
  categoryId: string;
  currency: string;
  removed: Contribution[];
  added: Contribution[];
}

/**
 * The group's aggregate after the batch, or null when no product is left.
 * `range` is required only when a removed product held the old min or max.
 *
 * @example
 * nextAggregate({ currency: "EUR", count: 2, sum: "300", min: 100, max: 200 },
 *   { categoryId: "c", currency: "EUR", removed: [cheapest], added: [] }, range);
 * // → { currency: "EUR", count: 1, sum: "200", min: 200, max: 200 }
 */
export function nextAggregate(
  old: PriceAggregate | undefined,
  change: GroupChange,
  range: PriceRange | undefined,
): PriceAggregate | null {
  const count = (old?.count ?? 0) - change.removed.length + change.added.length;
  if (count <= 0) return null;
  let sum = BigInt(old?.sum ?? "0");
  for (const c of change.removed) sum -= BigInt(c.amount);
  for (const c of change.added) sum += BigInt(c.amount);
  const removedIds = new Set(change.removed.map((c) => c.id));
  const addedAmounts = change.added.map((c) => c.amount);
  const keep = (extreme: number | undefined, ends: PricePoint[] | undefined) => {
    if (extreme === undefined) return [];
    if (!change.removed.some((c) => c.amount === extreme)) return [extreme];
    if (!ends) throw new Error(`price range of ${change.categoryId}/${change.currency} not loaded`);
    const survivor = ends.find((p) => !removedIds.has(p.id));
    return survivor ? [survivor.amount] : [];
  };
  return {
    currency: change.currency,
    count,
    sum: sum.toString(),
    min: Math.min(...addedAmounts, ...keep(old?.min, range?.lowest)),
    max: Math.max(...addedAmounts, ...keep(old?.max, range?.highest)),
  };
}

/**
 * Whether computing the group's next aggregate needs a price range load.
 *
 * @example
 * needsRange({ currency: "EUR", count: 2, sum: "300", min: 100, max: 200 }, removingTheCheapest); // → true
 */
export function needsRange(old: PriceAggregate | undefined, change: GroupChange): boolean {
  return (
    old !== undefined && change.removed.some((c) => c.amount === old.min || c.amount === old.max)
  );
}

/** @example sortPrices([usd, eur]); // → [eur, usd] */
export const sortPrices = (prices: PriceAggregate[]) =>
  prices.sort((a, b) => compareCodePoints(a.currency, b.currency));
