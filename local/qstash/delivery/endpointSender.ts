import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** One delivery attempt's request to an endpoint. */
export interface EndpointRequest {
  method: string;
  /** header names in lower case */
  headers: Record<string, string>;
  body?: Uint8Array;
  signal: AbortSignal;
}

/** What the endpoint answered; a 2xx answer's body is not read (only its status counts). */
export interface EndpointAnswer {
  status: number;
  header: Record<string, string[]>;
  body: string;
}

/** Sends one attempt; rejects on a network error, a timeout or an abort. */
export type SendToEndpoint = (url: string, request: EndpointRequest) => Promise<EndpointAnswer>;

// Enough of a failing endpoint's answer to debug it from the DLQ, not a whole page.
const MAX_RESPONSE_BODY = 64 * 1024;

const headersOf = (res: IncomingMessage): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = (res.rawHeaders[i] ?? "").toLowerCase();
    out[name] = [...(out[name] ?? []), res.rawHeaders[i + 1] ?? ""];
  }
  return out;
};

/**
 * Delivers over node:http(s) with keep-alive agents, never following a
 * redirect (QStash treats a 3xx as a failed attempt). At hundreds of
 * deliveries a second, fetch's Request, Headers and stream objects cost more
 * than the rest of an attempt on a loopback endpoint.
 *
 * @example
 * const send = endpointSender();
 * const answer = await send("http://127.0.0.1:8091/v1/ingest", { method: "POST", headers, body, signal });
 */
export function endpointSender(): SendToEndpoint {
  const plain = new HttpAgent({ keepAlive: true });
  const tls = new HttpsAgent({ keepAlive: true });
  return (url, r) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      if (!secure && target.protocol !== "http:") {
        reject(new Error(`unsupported protocol ${target.protocol}`));
        return;
      }
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers["content-length"] = r.body.byteLength;
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        { method: r.method, headers, agent: secure ? tls : plain, signal: r.signal },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            res.resume();
            res.on("end", () => resolve({ status, header: {}, body: "" }));
            res.on("error", reject);
            return;
          }
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (body.length < MAX_RESPONSE_BODY) body += chunk;
          });
          res.on("end", () =>
            resolve({ status, header: headersOf(res), body: body.slice(0, MAX_RESPONSE_BODY) }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(r.body);
    });
}
