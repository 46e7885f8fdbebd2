import { describe, expect, it } from "vitest";
import { type FaultConfig, NO_FAULTS, planFaults } from "./delivery/faults.ts";
import { waitFor } from "./testing/localAdmin.ts";
import { useQStashFixture } from "./testing/qstashFixture.ts";

const f = useQStashFixture();

const publishMany = async (path: string, count: number): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      (await f.client.publishJSON({ url: `${f.receiver.url}${path}`, body: { i } })).messageId,
    );
  }
  return ids;
};

const deliveriesPer = (path: string, ids: string[]) =>
  ids.map((id) => f.receiver.at(path).filter((d) => d.messageId === id).length);

describe("fault injection", () => {
  const seeded: Partial<FaultConfig> = { drop: 0.25, duplicate: 0.25, seed: 42 };

  it("drops and duplicates deterministically for a seed", async () => {
    const run = async (path: string) => {
      expect((await f.admin.setFaults(seeded)).status).toBe(200);
      const ids = await publishMany(path, 24);
      await f.admin.idle();
      return { ids, counts: deliveriesPer(path, ids) };
    };
    const first = await run("/seeded-a");
    const second = await run("/seeded-b");

    const expected = first.ids.map((_, i) => {
      const plan = planFaults({ ...NO_FAULTS, ...seeded }, i, 0);
      return plan.drop ? 0 : plan.duplicate ? 2 : 1;
    });
    expect(first.counts).toEqual(expected);
    expect(second.counts).toEqual(first.counts);
    // Seed 42 over 24 messages: 8 pushes lost, 2 made twice, in both runs.
    expect(first.counts.filter((n) => n === 0)).toHaveLength(8);
    expect(first.counts.filter((n) => n === 2)).toHaveLength(2);
    const stats = await f.admin.stats();
    expect(stats.dropped).toBe(16);
    expect(stats.duplicated).toBe(4);

    for (const delivery of [...f.receiver.at("/seeded-a"), ...f.receiver.at("/seeded-b")]) {
      await expect(
        f.verifier.verify({
          signature: delivery.signature,
          body: delivery.body,
          url: delivery.url,
        }),
      ).resolves.toBe(true);
    }
    // A dropped push was still acknowledged, and QStash believes it delivered.
    const droppedId = first.ids[first.counts.indexOf(0)] ?? "";
    const dropped = (await f.client.messages.get(droppedId)) as unknown as { state: string };
    expect(dropped.state).toBe("DELIVERED");
  });

  it("reorders: a held delivery arrives after a later one", async () => {
    await f.admin.setFaults({ drop: 0, duplicate: 0, reorder: 1, reorderHoldMs: 10_000, seed: 1 });
    const before = (await f.admin.stats()).reordered ?? 0;
    const first = await f.client.publishJSON({ url: `${f.receiver.url}/order`, body: { n: 1 } });
    await waitFor(async () => (await f.admin.stats()).reordered === before + 1, 5_000, "a hold");
    await f.admin.setFaults({ reorder: 0 });
    const second = await f.client.publishJSON({ url: `${f.receiver.url}/order`, body: { n: 2 } });
    await f.admin.idle();
    expect(f.receiver.at("/order").map((d) => d.messageId)).toEqual([
      second.messageId,
      first.messageId,
    ]);
  });

  it("releases a held delivery after reorderHoldMs when nothing overtakes it", async () => {
    await f.admin.setFaults({ reorder: 1, reorderHoldMs: 60 });
    const started = Date.now();
    await f.client.publishJSON({ url: `${f.receiver.url}/lonely`, body: {} });
    await f.admin.idle();
    const [delivery] = f.receiver.at("/lonely");
    expect(delivery?.receivedAt).toBeGreaterThanOrEqual(started + 59);
  });

  it("delays deliveries by the seeded random amount", async () => {
    const config: Partial<FaultConfig> = { reorder: 0, delay: 1, delayMs: 150, seed: 5 };
    await f.admin.setFaults(config);
    const ids = await publishMany("/slow", 4);
    await f.admin.idle();
    for (const [i, id] of ids.entries()) {
      const planned = planFaults({ ...NO_FAULTS, ...config }, i, 0).delayMs;
      const { createdAt } = await f.client.messages.get(id);
      const [delivery] = f.receiver.at("/slow").filter((d) => d.messageId === id);
      expect(delivery?.receivedAt).toBeGreaterThanOrEqual(createdAt + planned - 1);
    }
    expect(
      new Set(ids.map((_, i) => planFaults({ ...NO_FAULTS, ...config }, i, 0).delayMs)).size,
    ).toBeGreaterThan(1);
  });

  it("switches faults at runtime and refuses invalid values", async () => {
    const bad = await f.admin.setFaults({ drop: 2 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "drop must be between 0 and 1" });
    await f.admin.setFaults({ delay: 0, drop: 1 });
    const { messageId } = await f.client.publishJSON({ url: `${f.receiver.url}/lost`, body: {} });
    expect(messageId).toMatch(/^msg_/);
    await f.admin.idle();
    expect(f.receiver.at("/lost")).toHaveLength(0);
    await f.admin.setFaults({ drop: 0 });
    await f.client.publishJSON({ url: `${f.receiver.url}/lost`, body: {} });
    await f.admin.idle();
    expect(f.receiver.at("/lost")).toHaveLength(1);
  });
});

describe("quiescence", () => {
  it("answers 503 while a delivery is pending and 200 once none is", async () => {
    const { messageId } = await f.client.publishJSON({
      url: `${f.receiver.url}/later`,
      body: {},
      delay: 120,
    });
    const busy = await fetch(`${f.qstash.url}/local/idle?timeoutMs=30`, {
      headers: { Authorization: `Bearer ${f.qstash.token}` },
    });
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ idle: false, pending: 1 });
    await f.client.messages.cancel(messageId);
    await f.admin.idle(2_000);
    expect(f.qstash.stats().pending).toBe(0);
  });
});
