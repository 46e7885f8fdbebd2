import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

/** One request a QStash delivery made, exactly as it arrived. */
export interface ReceivedDelivery {
  /** The URL QStash addressed, i.e. what the signature's `sub` must equal. */
  url: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** The raw body text: what `Receiver.verify` needs, never a re-serialized parse. */
  body: string;
  signature: string;
  messageId: string;
  retried: number;
  receivedAt: number;
  /** The status this receiver answered. */
  status: number;
}

/** Decides the answer to a delivery; default 200. */
export type Responder = (delivery: Omit<ReceivedDelivery, "status">) => number;

export interface TestReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Sets how requests to `path` are answered (e.g. always 500). */
  respond(path: string, responder: Responder): void;
  at(path: string): ReceivedDelivery[];
  close(): Promise<void>;
}

/**
 * A small Hono app on a free port that records every request QStash makes
 * to it, for tests to verify with the official `Receiver`.
 *
 * @example
 * const receiver = await startTestReceiver();
 * await client.publishJSON({ url: `${receiver.url}/ok`, body: { n: 1 } });
 */
export const startTestReceiver = async (): Promise<TestReceiver> => {
  const deliveries: ReceivedDelivery[] = [];
  const responders = new Map<string, Responder>();
  let base = "";

  const app = new Hono();
  app.all("*", async (c) => {
    const requestUrl = new URL(c.req.url);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const delivery = {
      url: `${base}${requestUrl.pathname}${requestUrl.search}`,
      path: requestUrl.pathname,
      method: c.req.method,
      headers,
      body: await c.req.text(),
      signature: headers["upstash-signature"] ?? "",
      messageId: headers["upstash-message-id"] ?? "",
      retried: Number(headers["upstash-retried"] ?? "-1"),
      receivedAt: Date.now(),
    };
    const status = (responders.get(requestUrl.pathname) ?? (() => 200))(delivery);
    deliveries.push({ ...delivery, status });
    return c.text(status < 300 ? "ok" : "receiver says no", status as 200);
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      base = `http://127.0.0.1:${(info as AddressInfo).port}`;
      resolve(s);
    });
    s.once("error", reject);
  });

  return {
    get url() {
      return base;
    },
    deliveries,
    respond: (path, responder) => responders.set(path, responder),
    at: (path) => deliveries.filter((d) => d.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
};
