import { keepNewest } from "../../shared/collections/keepNewest.ts";

/**
 * How a runtime takes a Response's headers fastest: a `Headers` that
 * workerd, Bun and Deno copy natively (a plain object costs workerd a
 * conversion of every name and value: a fifth of a cached product page
 * read's CPU in a profile), or, on Node, a plain object that
 * @hono/node-server hands straight to Node's response (a `Headers` it
 * iterates, sorted, for every response).
 */
export type HeadersForm = "Headers" | "object";

/**
 * The headers of replica answers, one per distinct key. A busy replica hands
 * the same ones out again and again (same watermark, lag, token and cookie);
 * the caller keys by the values that vary, so a hit builds nothing. Neither
 * form is changed by a Response made from it, so one is shared.
 *
 * @example
 * const headersOf = answerHeaders("Headers");
 * new Response(body, { headers: headersOf(`${watermark} ${lag}`, () => ({ "X-Replica-Watermark": String(watermark), … })) });
 */
export function answerHeaders(
  form: HeadersForm,
  maxEntries = 64,
): (key: string, fields: () => Record<string, string>) => HeadersInit {
  const made = new Map<string, HeadersInit>();
  return (key, fields) => {
    const found = made.get(key);
    if (found) return found;
    const headers = form === "Headers" ? new Headers(fields()) : fields();
    made.set(key, headers);
    // the oldest go first: watermarks and tokens only move forward
    keepNewest(made, maxEntries);
    return headers;
  };
}
