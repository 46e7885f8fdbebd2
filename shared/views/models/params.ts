import { slugSchema } from "../../commands/schemas.ts";
import { NotFoundError, ValidationError } from "../../errors/index.ts";
import {
  attributeText,
  maxAttributeNameLength,
  maxAttributeValueLength,
} from "../attributeQueries.ts";
import { maxPageSize } from "../queries.ts";
import { type ListingSort, listingSorts } from "../readModels.ts";
import type { ParameterDoc, RequestInput } from "./readModel.ts";

// Request parsing shared by the read models: malformed query strings are a
// 422 naming the parameter; a slug that cannot exist is a 404 without a lookup.

/** The page size when a request names none. */
export const defaultLimit = 20;

/** @example limitOf(req); // → 20 for "?limit=20" or no limit */
export function limitOf(req: RequestInput): number {
  const raw = req.query("limit");
  if (raw === undefined || raw === "") return defaultLimit;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > maxPageSize) {
    throw new ValidationError(`limit must be an integer from 1 to ${maxPageSize}`, [
      { path: "limit", message: "out of range" },
    ]);
  }
  return n;
}

/** @example cursorOf(req); // → undefined on a first page */
export function cursorOf(req: RequestInput): string | undefined {
  const raw = req.query("cursor");
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 512) {
    throw new ValidationError("cursor is too long", [{ path: "cursor", message: "too long" }]);
  }
  return raw;
}

/** @example sortOf(req); // → "newest" without a sort */
export function sortOf(req: RequestInput): ListingSort {
  const raw = req.query("sort") ?? "newest";
  if (!(listingSorts as readonly string[]).includes(raw)) {
    throw new ValidationError(`sort must be one of ${listingSorts.join(", ")}`, [
      { path: "sort", message: "unknown sort" },
    ]);
  }
  return raw as ListingSort;
}

/** @example flagOf(req, "inStock"); // → true for "?inStock=1" */
export function flagOf(req: RequestInput, name: string): boolean {
  const raw = req.query(name);
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new ValidationError(`${name} must be 1 or 0`, [{ path: name, message: "not a flag" }]);
}

/** A slug that cannot exist is simply not found: no lookup, no echo of odd input. */
export function slugOf(req: RequestInput, what: string): string {
  const slug = req.param("slug") ?? "";
  if (!slugSchema.safeParse(slug).success) throw new NotFoundError(`no ${what} with that slug`);
  return slug;
}

/** An attribute name or value from the path, checked before any store is asked: a 400 if unfit. */
export const attributeParam = (req: RequestInput, parameter: "name" | "value"): string =>
  attributeText(parameter, req.param(parameter) ?? "");

/**
 * A query string of the parameters that are set (`true` as "1", `false` left out).
 *
 * @example
 * queryString({ sort: "name", inStock: true, cursor: undefined }); // → "?sort=name&inStock=1"
 */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== false);
  return entries.length === 0
    ? ""
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, v === true ? "1" : String(v)]))}`;
}

/** @example pathSegment("fits/into"); // → "fits%2Finto" */
export const pathSegment = (text: string) => encodeURIComponent(text);

// The OpenAPI side of the same parameters.

const queryDoc = (name: string, description: string, schema: ParameterDoc, required = false) => ({
  name,
  in: "query",
  required,
  description,
  schema,
});

export const slugDoc: ParameterDoc = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", maxLength: 120, pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$" },
};

export const attributeDoc = (name: "name" | "value"): ParameterDoc => ({
  name,
  in: "path",
  required: true,
  description: `the attribute ${name}, URL-encoded; numbers and booleans as text ("3", "true")`,
  // no control characters (Unicode Cc)
  schema: {
    type: "string",
    minLength: 1,
    maxLength: name === "name" ? maxAttributeNameLength : maxAttributeValueLength,
    pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]+$",
  },
});

export const limitDoc = queryDoc("limit", `page size, default ${defaultLimit}`, {
  type: "integer",
  minimum: 1,
  maximum: maxPageSize,
});

export const cursorDoc = queryDoc("cursor", "the previous page's nextCursor (opaque)", {
  type: "string",
  maxLength: 512,
});

export const sortDoc = queryDoc("sort", "order, default newest", {
  type: "string",
  enum: [...listingSorts],
});

export const inStockDoc = queryDoc("inStock", "only products in stock", {
  type: "string",
  enum: ["1", "0", "true", "false"],
});

export const qDoc = queryDoc(
  "q",
  "1 to 200 characters",
  { type: "string", minLength: 1, maxLength: 200 },
  true,
);
