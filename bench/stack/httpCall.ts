import { type Agent, request } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One loopback request over a keep-alive agent (cheaper than fetch at hundreds a second). */
export function httpCall(
  agent: Agent,
  url: string,
  init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1") return Promise.reject(new Error("stack bench: 127.0.0.1 only"));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? "GET",
        headers: {
          ...init.headers,
          ...(init.body === undefined ? {} : { "content-length": Buffer.byteLength(init.body) }),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout on ${url}`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

export const headerOf = (a: HttpAnswer, name: string): string => {
  const v = a.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
};
