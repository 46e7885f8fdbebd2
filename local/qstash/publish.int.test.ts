import { Client, QstashError, Receiver } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQStashServer, type QStashServer } from "./server.ts";
import { type LocalAdmin, localAdmin } from "./testing/localAdmin.ts";
import { startTestReceiver, type TestReceiver } from "./testing/receiverApp.ts";

let qstash: QStashServer;
let receiver: TestReceiver;
let client: Client;
let verifier: Receiver;
let admin: LocalAdmin;

beforeAll(async () => {
  qstash = await createQStashServer({ retry: { baseDelayMs: 1, maxDelayMs: 20 } });
  receiver = await startTestReceiver();
  client = new Client({ baseUrl: qstash.url, token: qstash.token });
  const keys = qstash.signingKeys();
  verifier = new Receiver({ currentSigningKey: keys.current, nextSigningKey: keys.next });
  admin = localAdmin(qstash.url, qstash.token);
});

afterAll(async () => {
  await qstash?.close();
  await receiver?.close();
});

describe("auth", () => {
  it("refuses a wrong token with 401 and a QStash-shaped error body", async () => {
    const intruder = new Client({ baseUrl: qstash.url, token: "not-the-token" });
    const error = await intruder.urlGroups.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QstashError);
    expect((error as QstashError).status).toBe(401);
    expect(JSON.parse((error as QstashError).message)).toEqual({ error: expect.any(String) });
    const bare = await fetch(`${qstash.url}/v2/publish/${receiver.url}/auth`, { method: "POST" });
    expect(bare.status).toBe(401);
    expect(receiver.at("/auth")).toHaveLength(0);
  });
});

describe("publish to a URL", () => {
  it("delivers the body, content type and forwarded headers, signed for that URL", async () => {
    const url = `${receiver.url}/orders?region=eu`;
    const body = { order: 42, note: "ünïcode ✓" };
    const published = await client.publishJSON({ url, body, headers: { "X-Trace": "t-1" } });
    expect(published).toEqual({ messageId: expect.stringMatching(/^msg_/), url });

    await admin.idle();
    const [delivery] = receiver.at("/orders");
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
      verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
    ).resolves.toBe(true);
    await expect(
      verifier.verify({ signature: delivery.signature, body: `${delivery.body} `, url }),
    ).rejects.toThrow(/body hash does not match/);
    await expect(
      verifier.verify({ signature: delivery.signature, body: delivery.body, url: `${url}x` }),
    ).rejects.toThrow(/invalid subject/);
  });

  it("keeps the message and its log readable through the SDK", async () => {
    const url = `${receiver.url}/readable`;
    const { messageId } = await client.publishJSON({ url, body: { n: 1 }, label: "debug" });
    await admin.idle();
    const message = await client.messages.get(messageId);
    expect(message).toMatchObject({ messageId, url, body: '{"n":1}', maxRetries: 3 });
    expect(message.labels).toEqual(["debug"]);
    const { logs } = await client.logs({ filter: { messageId } });
    expect(logs.map((log) => log.state).reverse()).toEqual(["CREATED", "ACTIVE", "DELIVERED"]);
  });

  it("honours Upstash-Delay: nothing arrives before the delay", async () => {
    const url = `${receiver.url}/delayed`;
    const { messageId } = await client.publishJSON({ url, body: {}, delay: 1 });
    const { createdAt } = await client.messages.get(messageId);
    await admin.idle();
    const [delivery] = receiver.at("/delayed");
    expect(delivery?.receivedAt).toBeGreaterThanOrEqual(createdAt + 1_000);
  });

  it("honours Upstash-Not-Before", async () => {
    const url = `${receiver.url}/not-before`;
    const notBefore = Math.ceil(Date.now() / 1_000) + 1;
    await client.publishJSON({ url, body: {}, notBefore });
    await admin.idle();
    expect(receiver.at("/not-before")[0]?.receivedAt).toBeGreaterThanOrEqual(notBefore * 1_000);
  });
});

describe("deduplication", () => {
  it("swallows a second publish with the same deduplication id", async () => {
    const url = `${receiver.url}/dedup`;
    const first = await client.publishJSON({ url, body: { seq: "1-5" }, deduplicationId: "r-1-5" });
    const again = await client.publishJSON({ url, body: { seq: "1-5" }, deduplicationId: "r-1-5" });
    expect(again).toEqual({ messageId: first.messageId, url, deduplicated: true });
    expect(first.deduplicated).toBeUndefined();
    await admin.idle();
    expect(receiver.at("/dedup")).toHaveLength(1);
  });

  it("deduplicates by content when asked, and not across different bodies", async () => {
    const url = `${receiver.url}/content`;
    const a = await client.publishJSON({ url, body: { a: 1 }, contentBasedDeduplication: true });
    const b = await client.publishJSON({ url, body: { a: 1 }, contentBasedDeduplication: true });
    const c = await client.publishJSON({ url, body: { a: 2 }, contentBasedDeduplication: true });
    expect(b.deduplicated).toBe(true);
    expect(b.messageId).toBe(a.messageId);
    expect(c.messageId).not.toBe(a.messageId);
    await admin.idle();
    expect(receiver.at("/content")).toHaveLength(2);
  });

  it("refuses a deduplication id with ':' as QStash does", async () => {
    const url = `${receiver.url}/colon`;
    const error = await client
      .publishJSON({ url, body: {}, deduplicationId: "events:1-5" })
      .catch((e: unknown) => e);
    expect((error as QstashError).status).toBe(400);
    expect((error as QstashError).message).toContain("DeduplicationId cannot contain ':'");
  });
});

describe("batch", () => {
  it("publishes every message of a batch, each signed for its own URL", async () => {
    const urls = [`${receiver.url}/batch-a`, `${receiver.url}/batch-b`];
    const responses = await client.batchJSON(urls.map((url, i) => ({ url, body: { i } })));
    expect(responses).toEqual(urls.map((url) => ({ messageId: expect.any(String), url })));
    await admin.idle();
    for (const [i, url] of urls.entries()) {
      const delivery = receiver.deliveries.find((d) => d.url === url);
      expect(delivery && JSON.parse(delivery.body)).toEqual({ i });
      if (!delivery) continue;
      await expect(
        verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
      ).resolves.toBe(true);
    }
  });
});
