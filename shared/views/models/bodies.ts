/** JSON text of a string, for splicing into a body. */
export const jsonText = (text: string) => JSON.stringify(text);

/**
 * The JSON text of a page, `{"items":[…],"nextCursor":…}`, spliced from the
 * stored JSON of each row: nothing is parsed or re-serialized. `rows` are
 * `limit + 1` read in order: the extra one only says there is a next page,
 * whose cursor continues after the page's last row.
 *
 * @example
 * pageBody(rows, 20, (r) => r.summary, (last) => encodeListingCursor({ … after: last.key }));
 */
export function pageBody<R>(
  rows: readonly R[],
  limit: number,
  itemText: (row: R) => string,
  cursorAfter: (last: R) => string,
): string {
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const next = rows.length > limit && last !== undefined ? cursorAfter(last) : null;
  let items = "";
  for (const row of page) items += items === "" ? itemText(row) : `,${itemText(row)}`;
  return pageText(items, next);
}

/**
 * A page's JSON from its items' JSON, comma-separated, and its cursor.
 *
 * @example
 * pageText('{"id":"a"}', null); // → '{"items":[{"id":"a"}],"nextCursor":null}'
 */
export const pageText = (items: string, nextCursor: string | null) =>
  `{"items":[${items}],"nextCursor":${nextCursor === null ? "null" : jsonText(nextCursor)}}`;

/**
 * A stored object's JSON with one more field at its end: how a search hit
 * (a summary and its score) is answered without parsing the summary.
 *
 * @example
 * withField('{"id":"p1"}', "score", 3); // → '{"id":"p1","score":3}'
 */
export function withField(objectText: string, name: string, value: number): string {
  const close = objectText.lastIndexOf("}");
  const empty = objectText.slice(0, close).trimEnd().endsWith("{");
  return `${objectText.slice(0, close)}${empty ? "" : ","}${jsonText(name)}:${value}}`;
}

/**
 * A stored record's text as a store client handed it back: the text itself,
 * or (an Upstash client that parses replies) the value, serialized again.
 *
 * @example
 * recordText('{"a":1}'); // → '{"a":1}'
 * recordText({ a: 1 });   // → '{"a":1}'
 */
export function recordText(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  return typeof reply === "string" ? reply : JSON.stringify(reply);
}
