import { compareCodePoints } from "../../projection/text.ts";
import { type ListingPlan, listingPage, listingPlan } from "../queries.ts";
import { type ListingSort, listingSorts, type Page, type ProductSummary } from "../readModels.ts";
import type { MemoryRecords } from "../stores/memory/memoryRecords.ts";
import {
  cursorDoc,
  cursorOf,
  defaultLimit,
  flagOf,
  inStockDoc,
  limitDoc,
  limitOf,
  sortDoc,
  sortOf,
} from "./params.ts";
import type { RequestInput } from "./readModel.ts";

// What the category listing and the catalog listing share: one query string,
// one plan, the listing records and their cursors; they differ only in scope.

/** A listing's query string as a client sends it; what is left out takes its default. */
export interface ListingInput {
  sort?: ListingSort;
  inStock?: boolean;
  limit?: number;
  cursor?: string;
}

export const listingDocs = [sortDoc, inStockDoc, limitDoc, cursorDoc];

export const listingInputOf = (req: RequestInput): ListingInput => ({
  sort: sortOf(req),
  inStock: flagOf(req, "inStock"),
  limit: limitOf(req),
  cursor: cursorOf(req),
});

/** @example planListing({}); // → { sort: "newest", inStock: false, limit: 20, after: null } */
export const planListing = (input: ListingInput): ListingPlan =>
  listingPlan({
    sort: input.sort ?? "newest",
    inStock: input.inStock ?? false,
    limit: input.limit ?? defaultLimit,
    cursor: input.cursor,
  });

/**
 * One statement (or set of them) per sort × filter × first-or-later page, built once.
 *
 * @example
 * const textOf = listingStatements((sort, inStock, after) => `SELECT …`);
 * textOf(plan); // the text for the plan's sort, filter and page
 */
export function listingStatements<S>(
  build: (sort: ListingSort, inStock: boolean, after: boolean) => S,
): (plan: ListingPlan) => S {
  const texts = new Map<string, S>();
  const id = (sort: ListingSort, inStock: boolean, after: boolean) => `${sort} ${inStock} ${after}`;
  for (const sort of listingSorts) {
    for (const inStock of [false, true]) {
      for (const after of [false, true])
        texts.set(id(sort, inStock, after), build(sort, inStock, after));
    }
  }
  return (plan) => {
    const text = texts.get(id(plan.sort, plan.inStock, plan.after !== null));
    if (text === undefined) throw new Error(`no listing statement for sort ${plan.sort}`);
    return text;
  };
}

/**
 * The reference read of a listing: the listed products of one category (or,
 * `categoryId` null, of the catalog) in the plan's order after its cursor.
 */
export function memoryListing(
  records: MemoryRecords,
  plan: ListingPlan,
  categoryId: string | null,
): Page<ProductSummary> {
  const rows = [...records.tables.listing.values()]
    .filter(
      (l) => (categoryId === null || l.categoryId === categoryId) && (!plan.inStock || l.inStock),
    )
    .flatMap((l) => {
      const item = records.tables.summary.get(l.id);
      return item ? [{ item, key: l.keys[plan.sort] }] : [];
    })
    .filter((r) => plan.after === null || compareCodePoints(r.key, plan.after) > 0)
    .sort((a, b) => compareCodePoints(a.key, b.key))
    .slice(0, plan.limit + 1);
  return listingPage(plan, rows);
}
