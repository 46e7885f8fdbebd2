import { AppError } from "../errors/index.ts";
import { compareCodePoints, queryTerms } from "../projection/text.ts";
import {
  decodeListingCursor,
  decodeSearchCursor,
  encodeListingCursor,
  encodeSearchCursor,
  type SearchPosition,
} from "./cursor.ts";
import type { CategoryListingQuery, Page, SearchHit, SearchQuery } from "./readModels.ts";

/** The largest page any query hands out. */
export const maxPageSize = 100;
/** A query with more distinct words is not a search a shopper typed. */
export const maxSearchTerms = 16;

/** @example pageLimit(20); // → 20; pageLimit(0) throws a 400 */
export function pageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new AppError("bad_request", `limit must be an integer from 1 to ${maxPageSize}`, {
      details: { parameter: "limit" },
    });
  }
  return limit;
}

/** A listing query with its cursor decoded: continue strictly after `after` in `sort` order. */
export interface ListingPlan {
  sort: CategoryListingQuery["sort"];
  inStock: boolean;
  limit: number;
  after: string | null;
}

/**
 * Validates a listing query. Throws a typed 400 for a bad limit or cursor.
 *
 * @example
 * listingPlan({ sort: "name", inStock: false, limit: 20 }); // → { …, after: null }
 */
export function listingPlan(q: CategoryListingQuery): ListingPlan {
  const limit = pageLimit(q.limit);
  const after = q.cursor === undefined ? null : decodeListingCursor(q.cursor, q);
  return { sort: q.sort, inStock: q.inStock, limit, after };
}

/**
 * Cuts `limit + 1` rows read in order into a page: the extra row only says
 * that there is a next page, whose cursor continues after the page's last row.
 *
 * @example
 * cutPage(rows, 20, (r) => r.item, (last) => encodeAttributeCursor(last.key));
 */
export function cutPage<R, T>(
  rows: readonly R[],
  limit: number,
  itemOf: (row: R) => T,
  cursorAfter: (last: R) => string,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? cursorAfter(last) : null;
  return { items: page.map(itemOf), nextCursor };
}

/** @example listingCursorAfter(plan, "0000000004999|prd_1"); // → "eyJ2Ijox…" */
export const listingCursorAfter = (plan: ListingPlan, key: string): string =>
  encodeListingCursor({ sort: plan.sort, inStock: plan.inStock, after: key });

/**
 * @example
 * listingPage(plan, rows); // → { items: rows.slice(0, limit), nextCursor: "…" | null }
 */
export function listingPage<T>(plan: ListingPlan, rows: Array<{ item: T; key: string }>): Page<T> {
  return cutPage(
    rows,
    plan.limit,
    (r) => r.item,
    (last) => listingCursorAfter(plan, last.key),
  );
}

export interface SearchPlan {
  /** distinct normalized words; every one must match (AND) */
  terms: string[];
  limit: number;
  after: SearchPosition | null;
}

/**
 * @example
 * searchPlan({ q: "Crème  brûlée", limit: 10 }).terms; // → ["creme", "brulee"]
 */
export function searchPlan(q: SearchQuery): SearchPlan {
  const limit = pageLimit(q.limit);
  const terms = queryTerms(q.q);
  if (terms.length > maxSearchTerms) {
    throw new AppError(
      "bad_request",
      `a search may have at most ${maxSearchTerms} distinct words`,
      {
        details: { parameter: "q" },
      },
    );
  }
  const after = q.cursor === undefined ? null : decodeSearchCursor(q.cursor);
  return { terms, limit, after };
}

/**
 * Relevance order: higher score first, then id.
 *
 * @example
 * hits.sort(compareSearchHits);
 */
export const compareSearchHits = (a: SearchPosition, b: SearchPosition) =>
  b.score - a.score || compareCodePoints(a.id, b.id);

/** @example isAfter({ score: 2, id: "b" }, { score: 3, id: "a" }); // → true */
export const isAfter = (hit: SearchPosition, after: SearchPosition | null) =>
  after === null || compareSearchHits(hit, after) > 0;

/** @example searchPage(plan, hitsInOrder); // → { items, nextCursor } */
export function searchPage(plan: SearchPlan, hits: SearchHit[]): Page<SearchHit> {
  return cutPage(
    hits,
    plan.limit,
    (h) => h,
    (last) => encodeSearchCursor({ score: last.score, id: last.id }),
  );
}
