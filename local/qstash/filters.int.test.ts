import { describe, expect, it } from "vitest";
import { useQStashFixture } from "./testing/qstashFixture.ts";

// QStash refuses a filter it does not know instead of ignoring it: a
// misspelled filter on a bulk delete must not widen it to everything.

const f = useQStashFixture({ retry: { baseDelayMs: 1 } });

const raw = (method: string, path: string) =>
  fetch(`${f.qstash.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${f.qstash.token}` },
  });

/** Dead-letters `n` messages to `path`, labelled `label`. */
const deadLetters = async (path: string, label: string, n: number) => {
  f.receiver.respond(path, () => 410);
  for (let i = 0; i < n; i++) {
    await f.client.publishJSON({ url: `${f.receiver.url}${path}`, body: { i }, retries: 0, label });
  }
  await f.admin.idle();
};

const dlqSize = async () => (await f.client.dlq.listMessages()).messages.length;

describe("list and bulk filters of the local QStash", () => {
  it("refuses an unknown filter on every DLQ, message and log endpoint, and changes nothing", async () => {
    await deadLetters("/refused", "keep", 2);
    const before = await dlqSize();
    expect(before).toBeGreaterThanOrEqual(2);
    for (const [method, path] of [
      ["DELETE", "/v2/dlq?labeel=x"],
      ["POST", "/v2/dlq/retry?labeel=x"],
      ["GET", "/v2/dlq?labeel=x"],
      ["DELETE", "/v2/messages?labeel=x"],
      ["GET", "/v2/logs?labeel=x"],
      // host and path are documented for messages and logs, not for the DLQ
      ["DELETE", "/v2/dlq?host=example.com"],
      ["GET", "/v2/dlq?count=ten"],
    ] as const) {
      const res = await raw(method, path);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await res.text()).toMatch(/labeel|host|count/);
    }
    expect(await dlqSize()).toBe(before);
  });

  it("deletes only what a documented filter names, at most `count` a page", async () => {
    await deadLetters("/by-label", "drop-me", 3);
    const before = await dlqSize();
    const first = await raw("DELETE", "/v2/dlq?label=drop-me&count=2");
    expect(await first.json()).toMatchObject({ deleted: 2 });
    const rest = await raw("DELETE", "/v2/dlq?label=drop-me");
    expect(await rest.json()).toEqual({ deleted: 1 });
    expect(await dlqSize()).toBe(before - 3);
  });

  it("filters logs and message cancels by the destination's host and path", async () => {
    const url = `${f.receiver.url}/hosted/one`;
    const { messageId } = await f.client.publishJSON({ url, body: {} });
    await f.admin.idle();
    const host = new URL(url).host;
    const byPath = await f.client.logs({ filter: { path: "/hosted/one" } });
    expect(byPath.logs.map((l) => l.messageId)).toContain(messageId);
    expect(byPath.logs.every((l) => l.url === url)).toBe(true);
    const byHost = await f.client.logs({ filter: { host, path: "/elsewhere" } });
    expect(byHost.logs).toHaveLength(0);
  });

  it("cancels at most `count` pending messages when asked", async () => {
    const url = `${f.receiver.url}/later`;
    for (let i = 0; i < 3; i++) {
      await f.client.publishJSON({ url, body: { i }, delay: 60, label: "later" });
    }
    const once = await raw("DELETE", "/v2/messages?label=later&count=2");
    expect(await once.json()).toEqual({ cancelled: 2 });
    const all = await raw("DELETE", "/v2/messages?label=later");
    expect(await all.json()).toEqual({ cancelled: 1 });
  });

  it("returns a message's flow-control limits on the message and its DLQ entry", async () => {
    f.receiver.respond("/limited", () => 410);
    const { messageId } = await f.client.publishJSON({
      url: `${f.receiver.url}/limited`,
      body: {},
      retries: 0,
      flowControl: { key: "orders", parallelism: 2, rate: 10, period: "1m" },
    });
    await f.admin.idle();
    const [entry] = (await f.client.dlq.listMessages({ filter: { messageId } })).messages;
    expect(entry).toMatchObject({
      flowControlKey: "orders",
      parallelism: 2,
      rate: 10,
      period: 60,
    });
    const bad = await fetch(`${f.qstash.url}/v2/publish/${f.receiver.url}/limited`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${f.qstash.token}`,
        "upstash-flow-control-key": "orders",
        "upstash-flow-control-value": "parallelism=zero",
      },
      body: "{}",
    });
    expect(bad.status).toBe(400);
  });
});
