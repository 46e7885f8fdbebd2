/**
 * The headers of replica answers, one `Headers` per distinct key. A busy
 * replica hands the same ones out again and again (same watermark, lag,
 * token and cookie), and a Response copies a `Headers` natively, where a
 * plain object costs workerd a conversion of every name and value: a fifth
 * of a cached product page read's CPU in a profile on workerd. The caller
 * keys by the values that vary, so a hit builds no object at all.
 *
 * @example
 * const headersOf = answerHeaders();
 * new Response(body, { headers: headersOf(`${watermark} ${lag}`, () => ({ "X-Replica-Watermark": String(watermark), … })) });
 */
export function answerHeaders(
  maxEntries = 64,
): (key: string, fields: () => Record<string, string>) => Headers {
  const made = new Map<string, Headers>();
  return (key, fields) => {
    const found = made.get(key);
    if (found) return found;
    const headers = new Headers(fields());
    made.set(key, headers);
    // the oldest go first: watermarks and tokens only move forward
    for (const old of made.keys()) {
      if (made.size <= maxEntries) break;
      made.delete(old);
    }
    return headers;
  };
}
