import { Client, QstashError } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { useQStashFixture } from "./testing/qstashFixture.ts";

const f = useQStashFixture({ retry: { baseDelayMs: 1, maxDelayMs: 20 } });

describe("auth", () => {
  it("refuses a wrong token with 401 and a QStash-shaped error body", async () => {
    const intruder = new Client({ baseUrl: f.qstash.url, token: "not-the-token" });
    const error = await intruder.urlGroups.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QstashError);
    expect((error as QstashError).status).toBe(401);
    expect(JSON.parse((error as QstashError).message)).toEqual({ error: expect.any(String) });
    const bare = await fetch(`${f.qstash.url}/v2/publish/${f.receiver.url}/auth`, {
      method: "POST",
    });
    expect(bare.status).toBe(401);
    expect(f.receiver.at("/auth")).toHaveLength(0);
  });
});

describe("publish to a URL", () => {
  it("delivers the body, content type and forwarded headers, signed for that URL", async () => {
    const url = `${f.receiver.url}/orders?region=eu`;
    const body = { order: 42, note: "ünïcode ✓" };
    const published = await f.client.publishJSON({ url, body, headers: { "X-Trace": "t-1" } });
    expect(published).toEqual({ messageId: expect.stringMatching(/^msg_/), url });

    await f.admin.idle();
    const [delivery] = f.receiver.at("/orders");
    expect(delivery).toBeDefined();
    if (!delivery) return;
    expect(delivery.url).toBe(url);
    expect(JSON.parse(delivery.body)).toEqual(body);
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.headers["x-trace"]).toBe("t-1");
    expect(delivery.headers["user-agent"]).toBe("Upstash-QStash");
    expect(delivery.messageId).toBe(published.messageId);
    expect(delivery.retried).toBe(0);
    expect(Object.keys(delivery.headers).some((h) => h.startsWith("upstash-forward-"))).toBe(false);

    await expect(
      f.verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
    ).resolves.toBe(true);
    await expect(
      f.verifier.verify({ signature: delivery.signature, body: `${delivery.body} `, url }),
    ).rejects.toThrow(/body hash does not match/);
    await expect(
      f.verifier.verify({ signature: delivery.signature, body: delivery.body, url: `${url}x` }),
    ).rejects.toThrow(/invalid subject/);
  });

  it("keeps the message and its log readable through the SDK", async () => {
    const url = `${f.receiver.url}/readable`;
    const { messageId } = await f.client.publishJSON({ url, body: { n: 1 }, label: "debug" });
    await f.admin.idle();
    const message = await f.client.messages.get(messageId);
    expect(message).toMatchObject({ messageId, url, body: '{"n":1}', maxRetries: 3 });
    expect(message.labels).toEqual(["debug"]);
    const { logs } = await f.client.logs({ filter: { messageId } });
    expect(logs.map((log) => log.state).reverse()).toEqual(["CREATED", "ACTIVE", "DELIVERED"]);
  });

  it("honours Upstash-Delay: nothing arrives before the delay", async () => {
    const url = `${f.receiver.url}/delayed`;
    const { messageId } = await f.client.publishJSON({ url, body: {}, delay: 1 });
    const { createdAt } = await f.client.messages.get(messageId);
    await f.admin.idle();
    const [delivery] = f.receiver.at("/delayed");
    expect(delivery?.receivedAt).toBeGreaterThanOrEqual(createdAt + 1_000);
  });

  it("honours Upstash-Not-Before", async () => {
    const url = `${f.receiver.url}/not-before`;
    const notBefore = Math.ceil(Date.now() / 1_000) + 1;
    await f.client.publishJSON({ url, body: {}, notBefore });
    await f.admin.idle();
    expect(f.receiver.at("/not-before")[0]?.receivedAt).toBeGreaterThanOrEqual(notBefore * 1_000);
  });
});

describe("deduplication", () => {
  it("swallows a second publish with the same deduplication id", async () => {
    const url = `${f.receiver.url}/dedup`;
    const first = await f.client.publishJSON({
      url,
      body: { seq: "1-5" },
      deduplicationId: "r-1-5",
    });
    const again = await f.client.publishJSON({
      url,
      body: { seq: "1-5" },
      deduplicationId: "r-1-5",
    });
    expect(again).toEqual({ messageId: first.messageId, url, deduplicated: true });
    expect(first.deduplicated).toBeUndefined();
    await f.admin.idle();
    expect(f.receiver.at("/dedup")).toHaveLength(1);
  });

  it("deduplicates by content when asked, and not across different bodies", async () => {
    const url = `${f.receiver.url}/content`;
    const a = await f.client.publishJSON({ url, body: { a: 1 }, contentBasedDeduplication: true });
    const b = await f.client.publishJSON({ url, body: { a: 1 }, contentBasedDeduplication: true });
    const c = await f.client.publishJSON({ url, body: { a: 2 }, contentBasedDeduplication: true });
    expect(b.deduplicated).toBe(true);
    expect(b.messageId).toBe(a.messageId);
    expect(c.messageId).not.toBe(a.messageId);
    await f.admin.idle();
    expect(f.receiver.at("/content")).toHaveLength(2);
  });

  it("refuses a deduplication id with ':' as QStash does", async () => {
    const url = `${f.receiver.url}/colon`;
    const error = await f.client
      .publishJSON({ url, body: {}, deduplicationId: "events:1-5" })
      .catch((e: unknown) => e);
    expect((error as QstashError).status).toBe(400);
    expect((error as QstashError).message).toContain("DeduplicationId cannot contain ':'");
  });
});

describe("batch", () => {
  it("publishes every message of a batch, each signed for its own URL", async () => {
    const urls = [`${f.receiver.url}/batch-a`, `${f.receiver.url}/batch-b`];
    const responses = await f.client.batchJSON(urls.map((url, i) => ({ url, body: { i } })));
    expect(responses).toEqual(urls.map((url) => ({ messageId: expect.any(String), url })));
    await f.admin.idle();
    for (const [i, url] of urls.entries()) {
      const delivery = f.receiver.deliveries.find((d) => d.url === url);
      expect(delivery && JSON.parse(delivery.body)).toEqual({ i });
      if (!delivery) continue;
      await expect(
        f.verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
      ).resolves.toBe(true);
    }
  });
});
