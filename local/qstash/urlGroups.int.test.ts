import type { QstashError } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { useQStashFixture } from "./testing/qstashFixture.ts";

const f = useQStashFixture();

describe("URL groups", () => {
  const group = "readers";
  const eu = () => `${f.receiver.url}/eu/ingest`;
  const us = () => `${f.receiver.url}/us/ingest`;

  it("upserts endpoints and lists and gets the group", async () => {
    await f.client.urlGroups.addEndpoints({ name: group, endpoints: [{ name: "eu", url: eu() }] });
    await f.client.topics.addEndpoints({ name: group, endpoints: [{ name: "us", url: us() }] });
    // Upserting an existing endpoint name replaces it instead of adding a third.
    await f.client.urlGroups.addEndpoints({ name: group, endpoints: [{ name: "eu", url: eu() }] });
    const fetched = await f.client.urlGroups.get(group);
    expect(fetched).toMatchObject({ name: group, createdAt: expect.any(Number) });
    expect(fetched.endpoints).toEqual(
      expect.arrayContaining([
        { name: "eu", url: eu() },
        { name: "us", url: us() },
      ]),
    );
    expect(fetched.endpoints).toHaveLength(2);
    expect((await f.client.urlGroups.list()).map((g) => g.name)).toContain(group);
  });

  it("fans a publish out to every endpoint, each signed for its own URL", async () => {
    const responses = await f.client.publishJSON({ urlGroup: group, body: { seq: 1 } });
    expect(responses).toHaveLength(2);
    expect(responses.map((r) => r.url).sort()).toEqual([eu(), us()].sort());
    await f.admin.idle();

    for (const url of [eu(), us()]) {
      const [delivery] = f.receiver.deliveries.filter((d) => d.url === url);
      expect(delivery).toBeDefined();
      if (!delivery) continue;
      expect(delivery.headers["upstash-topic-name"]).toBe(group);
      expect(responses.map((r) => r.messageId)).toContain(delivery.messageId);
      await expect(
        f.verifier.verify({ signature: delivery.signature, body: delivery.body, url }),
      ).resolves.toBe(true);
      const other = url === eu() ? us() : eu();
      await expect(
        f.verifier.verify({ signature: delivery.signature, body: delivery.body, url: other }),
      ).rejects.toThrow(/invalid subject/);
    }
    const message = await f.client.messages.get(responses[0]?.messageId ?? "");
    expect(message.urlGroup).toBe(group);
  });

  it("batches to a URL group with one response per endpoint", async () => {
    const before = f.receiver.deliveries.length;
    const responses = await f.client.batchJSON([
      { urlGroup: group, body: { seq: 2 } },
      { url: `${f.receiver.url}/solo`, body: { seq: 3 } },
    ]);
    expect(Array.isArray(responses[0])).toBe(true);
    expect(responses[0]).toHaveLength(2);
    expect(responses[1]).toMatchObject({ url: `${f.receiver.url}/solo` });
    await f.admin.idle();
    expect(f.receiver.deliveries.length - before).toBe(3);
  });

  it("removes endpoints, then deletes the group", async () => {
    await f.client.urlGroups.removeEndpoints({ name: group, endpoints: [{ name: "us" }] });
    expect((await f.client.urlGroups.get(group)).endpoints).toEqual([{ name: "eu", url: eu() }]);

    const before = f.receiver.at("/us/ingest").length;
    const responses = await f.client.publishJSON({ urlGroup: group, body: { seq: 4 } });
    expect(responses).toHaveLength(1);
    await f.admin.idle();
    expect(f.receiver.at("/us/ingest")).toHaveLength(before);

    await f.client.urlGroups.delete(group);
    const missing = await f.client.urlGroups.get(group).catch((e: unknown) => e);
    expect((missing as QstashError).status).toBe(404);
    const publish = await f.client.publishJSON({ urlGroup: group, body: {} }).catch((e) => e);
    expect((publish as QstashError).status).toBe(404);
  });

  it("refuses invalid group names and endpoint URLs", async () => {
    const badName = await f.client.urlGroups
      .addEndpoints({ name: "no spaces", endpoints: [{ url: eu() }] })
      .catch((e: unknown) => e);
    expect((badName as QstashError).status).toBe(400);
    const badUrl = await f.client.urlGroups
      .addEndpoints({ name: "ok", endpoints: [{ url: "ftp://x" }] })
      .catch((e: unknown) => e);
    expect((badUrl as QstashError).status).toBe(400);
  });
});
