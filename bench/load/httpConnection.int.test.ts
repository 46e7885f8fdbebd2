import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpConnection } from "./httpConnection.ts";
import { startLoadGenerator } from "./runLoad.ts";

let server: Server | null = null;
let connections = 0;
const bodies: string[] = [];

/** A real node:http server on a free port, answering each request as `handle` says. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  connections = 0;
  bodies.length = 0;
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (part: string) => {
      body += part;
    });
    req.on("end", () => {
      bodies.push(body);
      handle(req, res, body);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`;

describe("HttpConnection", () => {
  it("sends requests one after another over one kept-alive connection, sized or chunked", async () => {
    const port = await serve((req, res) => {
      if (req.url === "/chunked") {
        res.write("part one,");
        setTimeout(() => res.end("part two"), 5);
      } else {
        res.statusCode = req.url === "/missing" ? 404 : 200;
        res.end(JSON.stringify({ url: req.url }));
      }
    });
    const connection = new HttpConnection("127.0.0.1", port);
    const statuses: number[] = [];
    for (const path of ["/a", "/chunked", "/missing", "/b", "/chunked"]) {
      statuses.push((await connection.send(get(path))).status);
    }
    connection.close();
    expect(statuses).toEqual([200, 200, 404, 200, 200]);
    expect(connections).toBe(1);
  });

  it("opens a new connection after the server closed one, and refuses a response cut short", async () => {
    const port = await serve((req, res) => {
      if (req.url === "/close") res.setHeader("connection", "close");
      if (req.url === "/cut") {
        res.writeHead(200, { "content-length": "100" });
        res.write("only part");
        setTimeout(() => res.destroy(), 5);
        return;
      }
      res.end("ok");
    });
    const connection = new HttpConnection("127.0.0.1", port);
    expect(await connection.send(get("/close"))).toEqual({ status: 200, keepAlive: false });
    expect((await connection.send(get("/after"))).status).toBe(200);
    await expect(connection.send(get("/cut"))).rejects.toThrow(/closed the connection/);
    expect((await connection.send(get("/again"))).status).toBe(200);
    connection.close();
    expect(connections).toBe(3);
  });

  it("refuses a second request while one is in flight", async () => {
    const port = await serve((_req, res) => setTimeout(() => res.end("ok"), 20));
    const connection = new HttpConnection("127.0.0.1", port);
    const first = connection.send(get("/slow"));
    await expect(connection.send(get("/other"))).rejects.toThrow(/already in flight/);
    expect((await first).status).toBe(200);
    connection.close();
  });
});

describe("the load generator", () => {
  it("counts 2xx answers, posts each request's unique body, and counts other statuses as errors", async () => {
    const port = await serve((req, res, body) => {
      res.statusCode = req.url === "/bad" ? 500 : 200;
      res.end(body || "{}");
    });
    const load = startLoadGenerator();
    try {
      const job = { origin: `http://127.0.0.1:${port}`, concurrency: 4, warmupMs: 50 };
      const posted = await load.run({
        ...job,
        paths: ["/write"],
        method: "POST",
        headers: { "content-type": "application/json" },
        bodyTemplate: '{"name":"crème {{n}}"}',
        uniquePrefix: "cell",
        durationMs: 300,
      });
      expect(posted.requests).toBeGreaterThan(0);
      expect(posted.errors).toBe(0);
      expect(new Set(bodies).size).toBe(bodies.length);
      expect(bodies[0]).toBe('{"name":"crème cell-0"}');
      expect(connections).toBe(4);

      const mixed = await load.run({
        ...job,
        paths: ["/good", "/bad"],
        method: "GET",
        durationMs: 300,
      });
      expect(mixed.requests).toBeGreaterThan(0);
      expect(mixed.errors).toBeGreaterThan(0);
      expect(mixed.firstError).toBe("HTTP 500 on /bad");
    } finally {
      load.close();
    }
  });
});
