/** Where a publish goes: one URL, or every endpoint of a URL group. */
export type Destination = { kind: "url"; url: string } | { kind: "urlGroup"; name: string };

/** QStash's rule for URL group names (its docs: alphanumeric, hyphen, underscore, period). */
export const URL_GROUP_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads the destination out of a raw request URL such as
 * `http://localhost:8081/v2/publish/http://127.0.0.1:9000/ingest?x=1`.
 * The SDK joins the destination into the path unencoded, so the destination's
 * own query string lands in the outer URL's query: everything after the prefix
 * belongs to it. A percent-encoded destination (other clients) is decoded.
 *
 * @example
 * readDestination("http://q/v2/publish/orders", "/v2/publish/"); // { kind: "urlGroup", name: "orders" }
 */
export const readDestination = (rawUrl: string, prefix: string): Destination | undefined => {
  const pathStart = rawUrl.indexOf("/", rawUrl.indexOf("//") + 2);
  const at = rawUrl.indexOf(prefix, pathStart);
  if (pathStart < 0 || at !== pathStart) return undefined;
  return parseDestination(rawUrl.slice(at + prefix.length));
};

/**
 * Classifies a destination string as in QStash's publish and batch APIs: a
 * value with an http(s) scheme is a URL, anything else a URL group name.
 *
 * @example
 * parseDestination("https://reader.example/ingest"); // { kind: "url", url: "https://reader.example/ingest" }
 */
export const parseDestination = (value: string): Destination | undefined => {
  let text = value;
  if (/^https?%3A/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  if (/^https?:\/\//i.test(text)) {
    return URL.canParse(text) ? { kind: "url", url: text } : undefined;
  }
  return URL_GROUP_NAME.test(text) ? { kind: "urlGroup", name: text } : undefined;
};
