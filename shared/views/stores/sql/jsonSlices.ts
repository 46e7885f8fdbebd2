/** Rows per statement: a rename's fan-out stays a few MB of JSON per statement, not one huge one. */
const maxRows = 5_000;
/**
 * Characters of JSON per statement: D1 refuses a value over 2,000,000 bytes,
 * and JSON.stringify leaves non-ASCII as is, up to 3 UTF-8 bytes a character.
 */
const maxChars = 600_000;

/**
 * A list as JSON arrays of at most `maxRows` elements and about `maxChars`
 * characters each (an element larger than that goes alone), one per
 * statement's `json_each(?)`. None for an empty list.
 *
 * @example
 * jsonSlices([["a", 1], ["b", 2]]); // → ['[["a",1],["b",2]]']
 */
export function jsonSlices(list: readonly unknown[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let chars = 0;
  for (const item of list) {
    const json = JSON.stringify(item);
    if (part.length > 0 && (part.length === maxRows || chars + json.length > maxChars)) {
      out.push(`[${part.join(",")}]`);
      part = [];
      chars = 0;
    }
    part.push(json);
    chars += json.length + 1;
  }
  if (part.length > 0) out.push(`[${part.join(",")}]`);
  return out;
}
