import { AppError } from "../errors/index.ts";
import { decodeAttributeCursor, encodeAttributeCursor } from "./cursor.ts";
import { cutPage, pageLimit } from "./queries.ts";
import type { AttributeQuery, Page } from "./readModels.ts";

/** The command schema's bounds (`attributesSchema`): nothing longer can be stored. */
export const maxAttributeNameLength = 64;
export const maxAttributeValueLength = 500;

/**
 * Control characters cannot be in a name or value a shopper picks from a
 * facet list; lone surrogates have no UTF-8 form, so no store could match them.
 */
const unfit = /[\p{Cc}\p{Cs}]/u;

/**
 * Validates an attribute name or value taken from a request: a typed 400 for
 * an empty, overlong or control-character text.
 *
 * @example
 * attributeText("name", "color"); // → "color"
 * attributeText("value", "a\nb"); // throws a 400
 */
export function attributeText(parameter: "name" | "value", text: string): string {
  const max = parameter === "name" ? maxAttributeNameLength : maxAttributeValueLength;
  if (text.length === 0 || text.length > max || unfit.test(text)) {
    throw new AppError(
      "bad_request",
      `attribute ${parameter} must be 1 to ${max} characters without control characters`,
      { details: { parameter } },
    );
  }
  return text;
}

/** A facet query with its input checked and its cursor decoded: continue strictly after `after`. */
export interface AttributePlan {
  name: string;
  value: string;
  limit: number;
  after: string | null;
}

/**
 * @example
 * attributePlan("color", "red", { limit: 20 }); // → { name: "color", value: "red", limit: 20, after: null }
 */
export function attributePlan(name: string, value: string, q: AttributeQuery): AttributePlan {
  return {
    name: attributeText("name", name),
    value: attributeText("value", value),
    limit: pageLimit(q.limit),
    after: q.cursor === undefined ? null : decodeAttributeCursor(q.cursor),
  };
}

/**
 * Cuts `limit + 1` rows read in sort-key order into a page, as `listingPage` does.
 *
 * @example
 * attributePage(plan, rows); // → { items: rows.slice(0, limit), nextCursor: "…" | null }
 */
export function attributePage<T>(
  plan: AttributePlan,
  rows: Array<{ item: T; key: string }>,
): Page<T> {
  return cutPage(
    rows,
    plan.limit,
    (r) => r.item,
    (last) => encodeAttributeCursor(last.key),
  );
}
