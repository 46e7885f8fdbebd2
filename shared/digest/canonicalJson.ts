import { compareCodePoints } from "../projection/text.ts";

/**
 * JSON with object keys sorted by code point and no whitespace: one text per
 * value, whatever order a store handed its fields back in. Undefined object
 * fields are left out (JSON has none); anything JSON cannot say exactly (NaN,
 * Infinity, undefined in an array, bigint) throws instead of hashing wrong.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // → '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
      return JSON.stringify(value);
    case "object":
      return Array.isArray(value) ? arrayJson(value) : objectJson(value as Record<string, unknown>);
    default:
      throw new TypeError(`cannot hash a ${typeof value}`);
  }
}

function arrayJson(list: unknown[]): string {
  const parts: string[] = [];
  for (const item of list) {
    if (item === undefined) throw new TypeError("cannot hash undefined in an array");
    parts.push(canonicalJson(item));
  }
  return `[${parts.join(",")}]`;
}

function objectJson(o: Record<string, unknown>): string {
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort(compareCodePoints);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}
