import { Client, type QstashError, Receiver } from "@upstash/qstash";
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
  qstash = await createQStashServer();
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

describe("URL groups", () => {
  const group = "readers";
  const eu = () => `${receiver.url}/eu/ingest`;
  const us = () => `${receiver.url}/us/ingest`;

  it("upserts endpoints and lists and gets the group", async () => {
    await client.urlGroups.addEndpoints({ name: group, endpoints: [{ name: "eu", url: eu() }] });
    await client.topics.addEndpoints({ name: group, endpoints: [{ name: "us", url: us() }] });
    // Upserting an existing endpoint name replaces it instead of adding a third.
    await client.urlGroups.addEndpoints({ name: group, endpoints: [{ name: "eu", url: eu() }] });
    const fetched = await client.urlGroups.get(group);
    expect(fetched).toMatchObject({ name: group, createdAt: expect.any(Number) });
    expect(fetched.endpoints).toEqual(
      expect.arrayContaining([
        { name: "eu", url: eu() },
        { name: "us", url: us() },
      ]),
    );
    expect(fetched.endpoints).toHaveLength(2);
    expect((await client.urlGroups.list()).map((g) => g.name)).toContain(group);
  });

  it("fans a publish out to every endpoint, each signed for its own URL", async () => {
    const responses = await client.publishJSON({ urlGroup: group, body: { seq: 1 } });
    expect(responses).toHaveLength(2);
    expect(responses.map((r) => r.url).sort()).toEqual([eu(), us()].sort());
    await admin.idle();

    for (const url of [eu(), us()]) {
      const [delivery] = receiver.deliveries.filter((d) => d.url === url);
      expect(delivery).toBeDefined();
      if (!delivery) continue;
      expect(delivery.headers["upstash-topic-name"]).toBe(group);
      expect(responses.map((r) => r.messageId)).toContain(delivery.messageId);
      await expect(
        verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
      ).resolves.toBe(true);
      const other = url === eu() ? us() : eu();
      await expect(
        verifier.verify({ signature: delivery.signature, body: delivery.body, url: other }),
      ).rejects.toThrow(/invalid subject/);
    }
    const message = await client.messages.get(responses[0]?.messageId ?? "");
    expect(message.urlGroup).toBe(group);
  });

  it("batches to a URL group with one response per endpoint", async () => {
    const before = receiver.deliveries.length;
    const responses = await client.batchJSON([
      { urlGroup: group, body: { seq: 2 } },
      { url: `${receiver.url}/solo`, body: { seq: 3 } },
    ]);
    expect(Array.isArray(responses[0])).toBe(true);
    expect(responses[0]).toHaveLength(2);
    expect(responses[1]).toMatchObject({ url: `${receiver.url}/solo` });
    await admin.idle();
    expect(receiver.deliveries.length - before).toBe(3);
  });

  it("removes endpoints, then deletes the group", async () => {
    await client.urlGroups.removeEndpoints({ name: group, endpoints: [{ name: "us" }] });
    expect((await client.urlGroups.get(group)).endpoints).toEqual([{ name: "eu", url: eu() }]);

    const before = receiver.at("/us/ingest").length;
    const responses = await client.publishJSON({ urlGroup: group, body: { seq: 4 } });
    expect(responses).toHaveLength(1);
    await admin.idle();
    expect(receiver.at("/us/ingest")).toHaveLength(before);

    await client.urlGroups.delete(group);
    const missing = await client.urlGroups.get(group).catch((e: unknown) => e);
    expect((missing as QstashError).status).toBe(404);
    const publish = await client.publishJSON({ urlGroup: group, body: {} }).catch((e) => e);
    expect((publish as QstashError).status).toBe(404);
  });

  it("refuses invalid group names and endpoint URLs", async () => {
    const badName = await client.urlGroups
      .addEndpoints({ name: "no spaces", endpoints: [{ url: eu() }] })
      .catch((e: unknown) => e);
    expect((badName as QstashError).status).toBe(400);
    const badUrl = await client.urlGroups
      .addEndpoints({ name: "ok", endpoints: [{ url: "ftp://x" }] })
      .catch((e: unknown) => e);
    expect((badUrl as QstashError).status).toBe(400);
  });
});
