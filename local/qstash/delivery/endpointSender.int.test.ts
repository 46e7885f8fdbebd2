import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointSender } from "./endpointSender.ts";

describe("endpointSender", () => {
  let server: Server;
  let base = "";
  const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === "/ok") res.writeHead(201).end("taken");
        else if (req.url === "/moved") res.writeHead(302, { location: "/ok" }).end();
        else if (req.url === "/slow") setTimeout(() => res.writeHead(200).end(), 2_000);
        else {
          res.setHeader("x-why", ["first", "second"]);
          res.writeHead(500).end("x".repeat(100_000));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const send = endpointSender();
  const request = (signal: AbortSignal) => ({
    method: "POST",
    headers: { "content-type": "application/json", "upstash-retried": "0" },
    body: new TextEncoder().encode('{"n":1}'),
    signal,
  });

  it("sends the method, headers and body, and answers a 2xx with its status alone", async () => {
    const answer = await send(`${base}/ok`, request(new AbortController().signal));
    expect(answer).toEqual({ status: 201, header: {}, body: "" });
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      headers: {
        "content-type": "application/json",
        "upstash-retried": "0",
        "content-length": "7",
      },
      body: '{"n":1}',
    });
  });

  it("does not follow a redirect", async () => {
    const before = seen.length;
    const answer = await send(`${base}/moved`, request(new AbortController().signal));
    expect(answer.status).toBe(302);
    expect(answer.header.location).toEqual(["/ok"]);
    expect(seen.length).toBe(before + 1);
  });

  it("keeps a failing answer's headers and the first 64 KiB of its body", async () => {
    const answer = await send(`${base}/fails`, request(new AbortController().signal));
    expect(answer.status).toBe(500);
    expect(answer.header["x-why"]).toEqual(["first", "second"]);
    expect(answer.body.length).toBe(64 * 1024);
  });

  it("rejects when the signal aborts, and on a refused connection", async () => {
    await expect(send(`${base}/slow`, request(AbortSignal.timeout(50)))).rejects.toThrow();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(
      send(`http://127.0.0.1:${port}/`, request(new AbortController().signal)),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
