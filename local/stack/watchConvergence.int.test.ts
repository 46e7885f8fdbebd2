import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { readerStatusFixture } from "../../shared/testing/readerStatusFixture.ts";
import type { StackFile } from "./launchStack.ts";
import { watchConvergence } from "./watchConvergence.ts";

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve(`http://127.0.0.1:${(info as AddressInfo).port}`),
    );
    servers.push(server);
  });
}

describe("watchConvergence", () => {
  it("prints what a reader answering an error says, then its watermark once it catches up", async () => {
    const primary = new Hono().get("/v1/status", (c) => c.json({ head: 5, digest: "d5" }));
    let asked = 0;
    const reader = new Hono().get("/v1/status", (c) =>
      ++asked < 3
        ? c.json({ error: { code: "unavailable", message: "views are rebuilding" } }, 503)
        : c.json(readerStatusFixture({ region: "eu", watermark: 5, digest: "d5" })),
    );
    const stack: StackFile = {
      writeApi: { url: await listen(primary) },
      qstash: { url: "http://127.0.0.1:1" },
      readers: [{ region: "eu", url: await listen(reader), runtime: "node", store: "sqlite" }],
      tokens: { admin: "a", reader: "r" },
    };
    const lines: string[] = [];
    expect(await watchConvergence(stack, (l) => lines.push(l), 10_000)).toBe(true);
    expect(lines).toEqual([
      "  head 5   eu answers 503",
      "  head 5   eu 5",
      "  every region has converged on the primary's digest",
    ]);
  });

  it("says a reader that does not answer is down, and gives up at the deadline", async () => {
    const primary = new Hono().get("/v1/status", (c) => c.json({ head: 1 }));
    const stack: StackFile = {
      writeApi: { url: await listen(primary) },
      qstash: { url: "http://127.0.0.1:1" },
      readers: [{ region: "ap", url: "http://127.0.0.1:1", runtime: "deno", store: "sqlite" }],
      tokens: { admin: "a", reader: "r" },
    };
    const lines: string[] = [];
    expect(await watchConvergence(stack, (l) => lines.push(l), 600)).toBe(false);
    expect(lines[0]).toBe("  head 1   ap down");
    expect(lines.at(-1)).toMatch(/not every region converged yet/);
  });
});
