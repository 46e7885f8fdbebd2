import { describe, expect, it } from "vitest";
import { createUpstashRestApp, type UpstashRestAppDeps } from "./app.ts";
import type { CommandArgs, RespReply } from "./protocol/reply.ts";
import { createSyncTokenClock } from "./syncTokenClock.ts";

// In-process: the HTTP protocol against a fake gateway that records what would reach Redis.
const TOKEN = "a+b/c=";
const AUTH = { authorization: `Bearer ${TOKEN}` };

const str = (text: string | Buffer): RespReply => ({ type: "string", bytes: Buffer.from(text) });

const setup = (reply: (args: CommandArgs) => RespReply, maxBodyBytes = 1024) => {
  const received: string[][] = [];
  const run = (args: CommandArgs) => {
    received.push(args.map((arg) => arg.toString("latin1")));
    return reply(args);
  };
  const gateway: UpstashRestAppDeps["gateway"] = {
    command: async (args) => run(args),
    pipeline: async (commands) => commands.map(run),
    transaction: async (commands) => ({ kind: "executed", replies: commands.map(run) }),
  };
  const app = createUpstashRestApp({
    gateway,
    token: TOKEN,
    maxBodyBytes,
    syncTokens: createSyncTokenClock(),
  });
  return { app, received };
};

const echo = (args: CommandArgs): RespReply => ({ type: "array", items: args.map(str) });

describe("authentication", () => {
  it("accepts the bearer header or ?_token= (keeping its '+'), refuses anything else with 401", async () => {
    const { app, received } = setup(() => str("OK"));

    const missing = await app.request("/get/k");
    const wrong = await app.request("/get/k", { headers: { authorization: "Bearer nope" } });
    const viaQuery = await app.request(`/get/k?_token=${encodeURIComponent(TOKEN)}`);
    const viaRawQuery = await app.request(`/get/k?_token=${TOKEN}`);

    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(await missing.json()).toEqual({ error: "Unauthorized" });
    expect([viaQuery.status, viaRawQuery.status]).toEqual([200, 200]);
    expect(received).toEqual([
      ["get", "k"],
      ["get", "k"],
    ]);
  });
});

describe("command forms", () => {
  it("reads the URL form: path arguments, then the POST body, then query arguments", async () => {
    const { app, received } = setup(() => str("OK"));

    await app.request("/set/foo/bar?EX=100&NX", { headers: AUTH });
    await app.request("/set/k%2Fslash/%FF%00?EX=5", {
      method: "POST",
      headers: AUTH,
      body: Buffer.from([0x00, 0xff, 0x0d, 0x0a]),
    });

    expect(received).toEqual([
      ["set", "foo", "bar", "EX", "100", "NX"],
      ["set", "k/slash", "\xff\x00", "\x00\xff\r\n", "EX", "5"],
    ]);
  });

  it("turns JSON numbers and booleans into their text, and refuses objects", async () => {
    const { app, received } = setup(() => str("OK"));

    const ok = await app.request("/", {
      method: "POST",
      headers: AUTH,
      body: JSON.stringify(["SET", "k", 12.5, true]),
    });
    const bad = await app.request("/", { method: "POST", headers: AUTH, body: '["SET","k",{}]' });
    const malformed = await app.request("/", { method: "POST", headers: AUTH, body: "[" });

    expect(ok.status).toBe(200);
    expect(received).toEqual([["SET", "k", "12.5", "true"]]);
    expect([bad.status, malformed.status]).toEqual([400, 400]);
    expect(await malformed.json()).toEqual({ error: expect.stringMatching(/^ERR .*JSON/) });
  });
});

describe("response encoding", () => {
  const reply: RespReply = {
    type: "array",
    items: [
      str(Buffer.from([0xff, 0x00, 0x41])),
      str("OK"),
      { type: "integer", digits: "9223372036854775807" },
      { type: "nil" },
      { type: "array", items: [str("né")] },
    ],
  };

  it("base64-encodes every string but OK, at any depth, and keeps integer digits", async () => {
    const { app } = setup(() => reply);
    const res = await app.request("/x", { headers: { ...AUTH, "Upstash-Encoding": "base64" } });

    expect(await res.text()).toBe(
      `{"result":["/wBB","OK",9223372036854775807,null,["${Buffer.from("né").toString("base64")}"]]}`,
    );
  });

  it("sends UTF-8 text without the header, with U+FFFD for invalid bytes", async () => {
    const { app } = setup(() => reply);
    const res = await app.request("/x", { headers: AUTH });

    expect(await res.text()).toBe(
      '{"result":["\uFFFD\\u0000A","OK",9223372036854775807,null,["né"]]}',
    );
  });

  it("answers a Redis error with 400 and refuses non-JSON response formats", async () => {
    const { app } = setup(() => ({ type: "error", message: "ERR boom" }));

    const failed = await app.request("/x", { headers: AUTH });
    const resp2 = await app.request("/x", {
      headers: { ...AUTH, "Upstash-Response-Format": "resp2" },
    });

    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ error: "ERR boom" });
    expect(resp2.status).toBe(400);
  });
});

describe("pipelines and transactions", () => {
  it("answers a refused pipeline command in its slot and runs the others in order", async () => {
    const { app, received } = setup(echo);
    const body = JSON.stringify([
      ["GET", "a"],
      ["SUBSCRIBE", "c"],
      ["GET", "b"],
    ]);

    const res = await app.request("/pipeline", { method: "POST", headers: AUTH, body });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { result: ["GET", "a"] },
      { error: expect.stringMatching(/'subscribe'.*not supported/) },
      { result: ["GET", "b"] },
    ]);
    expect(received).toEqual([
      ["GET", "a"],
      ["GET", "b"],
    ]);
  });

  it("discards a whole transaction that holds a refused command", async () => {
    const { app, received } = setup(echo);
    const body = JSON.stringify([
      ["INCR", "a"],
      ["BLPOP", "q", 0],
    ]);

    const res = await app.request("/multi-exec", { method: "POST", headers: AUTH, body });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/blocking command 'blpop'/) });
    expect(received).toEqual([]);
  });
});

describe("limits and headers", () => {
  it("refuses bodies over the limit with 413 before any command runs", async () => {
    const { app, received } = setup(echo, 64);
    const body = JSON.stringify(["SET", "k", "x".repeat(100)]);

    const res = await app.request("/", { method: "POST", headers: AUTH, body });

    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "ERR max request size exceeded. Limit: 64 bytes" });
    expect(received).toEqual([]);
  });

  it("refuses other HTTP methods with 405", async () => {
    const { app } = setup(echo);
    expect((await app.request("/get/k", { method: "DELETE", headers: AUTH })).status).toBe(405);
  });

  it("returns a sync token on every response that never goes backwards", async () => {
    const { app } = setup(echo);

    const first = await app.request("/get/k", { headers: AUTH });
    const refused = await app.request("/get/k");
    const resumed = await app.request("/get/k", {
      headers: { ...AUTH, "upstash-sync-token": "500" },
    });

    const tokens = [first, refused, resumed].map((r) =>
      Number(r.headers.get("upstash-sync-token")),
    );
    expect(tokens).toEqual([1, 2, 501]);
  });
});
