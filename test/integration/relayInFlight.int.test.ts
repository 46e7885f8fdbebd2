import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../local/qstash/testing/localAdmin.ts";
import { createRelay, type PublishBatch, type Relay } from "../../write-api/relay/relay.ts";
import { categoryCreate } from "../../write-api/testing/catalogFixtures.ts";
import { createTestWriteApi } from "../../write-api/testing/testWriteApi.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A message the relay handed over, answered when the test says so. */
interface Handed {
  id: string;
  accept(): void;
  refuse(error: Error): void;
}

/** A publisher QStash's answers are in the test's hands for: every message waits to be answered. */
const answeredByHand = () => {
  const handed: Handed[] = [];
  let answerAtOnce = false;
  const publish: PublishBatch = ({ deduplicationId }) =>
    answerAtOnce
      ? Promise.resolve()
      : new Promise<void>((accept, refuse) => {
          handed.push({ id: deduplicationId, accept, refuse });
        });
  return { handed, publish, answerFromNowOn: () => (answerAtOnce = true) };
};

const setup = async (events: number, maxInFlight: number) => {
  const api = await createTestWriteApi();
  cleanups.push(() => api.close());
  for (let i = 0; i < events; i++) {
    expect((await api.command(categoryCreate(`c-${i}`))).status).toBe(200);
  }
  const qstash = answeredByHand();
  let logReads = 0;
  const relay: Relay = await createRelay({
    log: {
      ...api.primary.events,
      read: (after, limit) => {
        logReads++;
        return api.primary.events.read(after, limit);
      },
    },
    reads: api.primary.reads.reader,
    write: api.primary.write,
    publish: qstash.publish,
    limits: { maxEvents: 2, maxBytes: 100_000 },
    maxInFlight,
    backstopIntervalMs: 60_000,
    report: () => {},
  });
  cleanups.push(() => {
    qstash.answerFromNowOn();
    for (const m of qstash.handed) m.accept();
    return relay.stop();
  });
  /** Waits until the relay has handed QStash `count` messages in all. */
  const handedOver = (count: number) =>
    waitFor(() => qstash.handed.length === count, 5_000, `${count} messages handed over`);
  return { relay, qstash, api, handedOver, logReads: () => logReads };
};

/** Lets every continuation already due run, so what has not happened by then will not. */
const settled = () => new Promise((r) => setTimeout(r, 20));

describe("the relay with several messages waiting on QStash", () => {
  it("publishes the next message before QStash answered the one before, up to its bound", async () => {
    const { relay, qstash, handedOver } = await setup(8, 3);
    relay.wake();
    await handedOver(3);
    await settled();
    // a fourth waits for room
    expect(qstash.handed.map((m) => m.id)).toEqual(["events-1-2", "events-3-4", "events-5-6"]);
    qstash.handed[0]?.accept();
    await handedOver(4);
    expect(qstash.handed[3]?.id).toBe("events-7-8");
    for (const m of qstash.handed.slice(1)) m.accept();
    await relay.drain(5_000);
    expect(relay.published()).toBe(8);
  });

  it("publishes a commit made while a message waits on QStash at once, not after the answer", async () => {
    const { relay, qstash, api, handedOver } = await setup(2, 3);
    relay.wake();
    await handedOver(1);
    expect((await api.command(categoryCreate("later"))).status).toBe(200);
    relay.wake();
    await handedOver(2);
    expect(qstash.handed.map((m) => m.id)).toEqual(["events-1-2", "events-3-3"]);
    for (const m of qstash.handed) m.accept();
    await waitFor(() => relay.published() === 3, 5_000, "the watermark over both");
  });

  it("reads the log once a commit: not again after a message, nor after its answer, until something commits", async () => {
    const { relay, qstash, api, handedOver, logReads } = await setup(0, 3);
    for (let i = 1; i <= 3; i++) {
      expect((await api.command(categoryCreate(`c-${i}`))).status).toBe(200);
      relay.wake();
      await handedOver(i);
      qstash.handed[i - 1]?.accept();
      await waitFor(() => relay.published() === i, 5_000, `the watermark at ${i}`);
      await settled();
    }
    expect(qstash.handed.map((m) => m.id)).toEqual(["events-1-1", "events-2-2", "events-3-3"]);
    expect(logReads()).toBe(3);
  });

  it("moves the published watermark only over accepted messages from its start", async () => {
    const { relay, qstash, handedOver } = await setup(6, 3);
    relay.wake();
    await handedOver(3);
    qstash.handed[2]?.accept();
    qstash.handed[1]?.accept();
    await settled();
    // QStash accepted 3–6, but 1–2 still waits: nothing may count as published
    expect(relay.published()).toBe(0);
    qstash.handed[0]?.accept();
    await waitFor(() => relay.published() === 6, 5_000, "the watermark over all three");
  });

  it("counts its bound from the watermark: a message QStash keeps waiting holds back new ones", async () => {
    const { relay, qstash, handedOver } = await setup(8, 3);
    relay.wake();
    await handedOver(3);
    qstash.handed[1]?.accept();
    qstash.handed[2]?.accept();
    await settled();
    expect(qstash.handed).toHaveLength(3);
    qstash.handed[0]?.accept();
    await handedOver(4);
    qstash.handed[3]?.accept();
    await relay.drain(5_000);
    expect(relay.published()).toBe(8);
  });

  it("publishes a refused message again, with those QStash accepted after it, and only then moves", async () => {
    const { relay, qstash, handedOver } = await setup(6, 3);
    relay.wake();
    await handedOver(3);
    qstash.handed[1]?.accept();
    qstash.handed[2]?.accept();
    qstash.handed[0]?.refuse(new Error("QStash answered 500"));
    await settled();
    expect(relay.published()).toBe(0);
    // the retry re-publishes from the refused message on, under the same deduplication ids
    await handedOver(6);
    expect(qstash.handed.slice(3).map((m) => m.id)).toEqual([
      "events-1-2",
      "events-3-4",
      "events-5-6",
    ]);
    for (const m of qstash.handed.slice(3)) m.accept();
    await waitFor(() => relay.published() === 6, 5_000, "the watermark after the retry");
  });

  it("with a bound of one, hands a message over only after QStash answered the one before", async () => {
    const { relay, qstash, handedOver } = await setup(4, 1);
    relay.wake();
    await handedOver(1);
    await settled();
    expect(qstash.handed).toHaveLength(1);
    qstash.handed[0]?.accept();
    await handedOver(2);
    qstash.handed[1]?.accept();
    await relay.drain(5_000);
    expect(relay.published()).toBe(4);
  });
});
