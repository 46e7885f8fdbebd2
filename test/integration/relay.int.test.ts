import { Client, Receiver } from "@upstash/qstash";
import { afterEach, describe, expect, it } from "vitest";
import { createQStashServer, type QStashServer } from "../../local/qstash/server.ts";
import { waitFor } from "../../local/qstash/testing/localAdmin.ts";
import { startTestReceiver, type TestReceiver } from "../../local/qstash/testing/receiverApp.ts";
import { qstashPublisher } from "../../write-api/relay/qstashPublisher.ts";
import { createRelay, type Relay } from "../../write-api/relay/relay.ts";
import { syncUrlGroup } from "../../write-api/relay/syncUrlGroup.ts";
import { categoryCreate } from "../../write-api/testing/catalogFixtures.ts";
import { createTestWriteApi } from "../../write-api/testing/testWriteApi.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = async (options: { relayOnCommit: boolean; port?: number }) => {
  const qstash = await createQStashServer({ port: options.port, retry: { baseDelayMs: 1 } });
  cleanups.push(() => qstash.close().catch(() => {}));
  const receiver = await startTestReceiver();
  cleanups.push(() => receiver.close());
  const client = new Client({ baseUrl: qstash.url, token: qstash.token, devMode: false });
  await syncUrlGroup(client, "readers", [
    `${receiver.url}/a/v1/ingest`,
    `${receiver.url}/b/v1/ingest`,
  ]);
  let relay: Relay | undefined;
  const api = await createTestWriteApi({ onCommitted: () => relay?.wake() });
  cleanups.push(() => api.close());
  const startRelay = async (storeWithinMs?: number) => {
    relay = await createRelay({
      log: api.primary.events,
      reads: api.primary.reads.reader,
      write: api.primary.write,
      publish: qstashPublisher(client, "readers", 3, () =>
        syncUrlGroup(client, "readers", [
          `${receiver.url}/a/v1/ingest`,
          `${receiver.url}/b/v1/ingest`,
        ]),
      ),
      limits: { maxEvents: 7, maxBytes: 100_000 },
      backstopIntervalMs: 60_000,
      report: () => {},
      storeWithinMs,
    });
    cleanups.push(() => relay?.stop());
    return relay;
  };
  if (options.relayOnCommit) await startRelay();
  return { qstash, receiver, client, api, startRelay, relay: () => relay };
};

/** Every event each endpoint got, after checking each delivery with the official Receiver. */
const deliveredSeqs = async (qstash: QStashServer, receiver: TestReceiver, path: string) => {
  const keys = qstash.signingKeys();
  const verifier = new Receiver({
    currentSigningKey: keys.current,
    nextSigningKey: keys.next,
    devMode: false,
  });
  const seqs: number[] = [];
  for (const d of receiver.at(path)) {
    expect(await verifier.verify({ signature: d.signature, body: d.body, url: d.url })).toBe(true);
    const batch = (JSON.parse(d.body) as { events: { seq: number }[] }).events.map((e) => e.seq);
    // a batch is a contiguous seq range
    expect(batch).toEqual(batch.map((_, i) => (batch[0] ?? 0) + i));
    seqs.push(...batch);
  }
  return seqs.sort((a, b) => a - b);
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("the outbox relay through QStash", () => {
  it("publishes every committed event to every reader of the URL group, in bounded batches", async () => {
    const { api, qstash, receiver, relay } = await setup({ relayOnCommit: true });
    for (let i = 0; i < 5; i++) {
      const commands = Array.from({ length: 4 }, (_, j) => categoryCreate(`c-${i}-${j}`));
      expect((await api.command({ commands })).status).toBe(200);
    }
    await relay()?.drain();
    expect(await qstash.whenIdle(10_000)).toBe(true);
    for (const path of ["/a/v1/ingest", "/b/v1/ingest"]) {
      const seqs = await deliveredSeqs(qstash, receiver, path);
      expect(new Set(seqs)).toEqual(new Set(range(20)));
      expect(
        receiver
          .at(path)
          .every((d) => (JSON.parse(d.body) as { events: unknown[] }).events.length <= 7),
      ).toBe(true);
    }
    expect(relay()?.published()).toBe(20);
  });

  it("stores the published watermark in the next commands' transaction, or on its own once idle, never before QStash accepted", async () => {
    const { api, startRelay } = await setup({ relayOnCommit: false });
    const stored = async () =>
      Number(
        (await api.primary.reads.reader.first("SELECT value FROM meta WHERE key = 'published'"))
          ?.value ?? 0,
      );
    expect((await api.command(categoryCreate("first"))).status).toBe(200);
    // the inline views hold it: their follower has nothing left to write
    await api.views.fresh();
    const relay = await startRelay(60_000);
    await relay.drain();
    expect(relay.published()).toBe(1);
    // published, but no write of its own yet: it waits for one that commands start
    expect(await stored()).toBe(0);
    expect((await api.command(categoryCreate("second"))).status).toBe(200);
    await waitFor(async () => (await stored()) >= 1, 5_000);
    await relay.drain();
    expect(relay.published()).toBe(2);
    // a graceful stop stores what was published since
    await relay.stop();
    expect(await stored()).toBe(2);
    // a relay started again resumes after it
    expect((await startRelay()).published()).toBe(2);
  });

  it("stores the published watermark on its own when no command comes", async () => {
    const { api, startRelay } = await setup({ relayOnCommit: false });
    expect((await api.command(categoryCreate("alone"))).status).toBe(200);
    const relay = await startRelay(20);
    await relay.drain();
    await waitFor(
      async () =>
        Number(
          (await api.primary.reads.reader.first("SELECT value FROM meta WHERE key = 'published'"))
            ?.value,
        ) === 1,
      5_000,
    );
  });

  it("publishes after a restart what was committed but never published", async () => {
    const { api, qstash, receiver, startRelay } = await setup({ relayOnCommit: false });
    // the write API "crashed" between commit and publish: commits, no relay
    for (let i = 0; i < 3; i++)
      expect((await api.command(categoryCreate(`lost-${i}`))).status).toBe(200);
    const relay = await startRelay();
    expect(relay.published()).toBe(0);
    relay.wake();
    await relay.drain();
    expect(await qstash.whenIdle(10_000)).toBe(true);
    expect(await deliveredSeqs(qstash, receiver, "/a/v1/ingest")).toEqual(range(3));
  });

  it("keeps the published watermark while QStash is down and catches up once it is back", async () => {
    const first = await setup({ relayOnCommit: true });
    const port = first.qstash.port;
    await first.qstash.close();
    expect((await first.api.command(categoryCreate("while-down"))).status).toBe(200);
    await waitFor(async () => first.relay()?.published() === 0, 5_000);
    // QStash comes back on the same address, with the URL group configured again
    const again = await createQStashServer({
      port,
      token: first.qstash.token,
      retry: { baseDelayMs: 1 },
    });
    cleanups.push(() => again.close());
    await syncUrlGroup(first.client, "readers", [`${first.receiver.url}/a/v1/ingest`]);
    await first.relay()?.drain(20_000);
    expect(await again.whenIdle(10_000)).toBe(true);
    expect(first.receiver.at("/a/v1/ingest").length).toBeGreaterThan(0);
    expect(first.relay()?.published()).toBe(1);
  });

  it("puts back a URL group QStash no longer knows, and publishes", async () => {
    const { api, qstash, receiver, client, relay } = await setup({ relayOnCommit: true });
    await client.urlGroups.delete("readers");
    expect((await api.command(categoryCreate("after-group-loss"))).status).toBe(200);
    await relay()?.drain();
    expect(await qstash.whenIdle(10_000)).toBe(true);
    expect(await deliveredSeqs(qstash, receiver, "/a/v1/ingest")).toEqual([1]);
    expect((await client.urlGroups.get("readers")).endpoints).toHaveLength(2);
  });
});
