import { afterEach, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/events/types.ts";
import { writeCatalogHistory } from "./catalogHistory.ts";
import { type Harness, readerHarness, readerUrl, signingKeys } from "./readerHarness.ts";

let h: Harness;
afterEach(() => h.close());

/** A seeded shuffle, so a failure replays the same delivery order. */
const shuffled = <T>(items: T[], seed: number): T[] => {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );

const status = async () =>
  (await (await h.app.request(`${readerUrl}/v1/status`)).json()) as {
    watermark: number;
    digest: string;
    lagEvents: number;
  };

describe("ingest", () => {
  it("applies pushes in order and ends with the primary's digest", async () => {
    h = await readerHarness();
    const head = await writeCatalogHistory(h.api);
    for (const batch of chunks(await h.log(), 10)) {
      const res = await h.push(batch);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe("applied");
    }
    expect(await status()).toMatchObject({ watermark: head, digest: await h.primaryDigest() });
  });

  it("converges through duplicated, reordered and missing deliveries via gap pulls", async () => {
    h = await readerHarness();
    const head = await writeCatalogHistory(h.api);
    const batches = chunks(await h.log(), 7);
    // every third batch is lost, every other one arrives twice, all out of order
    const deliveries = shuffled(
      batches.flatMap((b, i) => (i % 3 === 2 ? [] : i % 2 === 0 ? [b, b] : [b])),
      42,
    );
    const outcomes = new Set<string>();
    for (const batch of deliveries) {
      const res = await h.push(batch);
      expect(res.status).toBe(200);
      outcomes.add(((await res.json()) as { status: string }).status);
    }
    expect(outcomes.has("duplicate")).toBe(true);
    expect(await status()).toMatchObject({ watermark: head, digest: await h.primaryDigest() });
  });

  it("acknowledges a push that arrives again without changing anything", async () => {
    h = await readerHarness();
    await writeCatalogHistory(h.api, 10);
    const log = await h.log();
    expect((await h.push(log)).status).toBe(200);
    const before = await status();
    const again = await h.push(log.slice(3, 9));
    expect(await again.json()).toMatchObject({ status: "duplicate", watermark: before.watermark });
    const after = await status();
    expect({ watermark: after.watermark, digest: after.digest }).toEqual({
      watermark: before.watermark,
      digest: before.digest,
    });
  });

  it("converges by reconcile alone when no push ever arrives", async () => {
    h = await readerHarness();
    const head = await writeCatalogHistory(h.api);
    expect((await status()).watermark).toBe(0);
    const result = await h.reader.catchUp.run();
    expect(result).toMatchObject({ watermark: head, head });
    expect(await status()).toMatchObject({ watermark: head, digest: await h.primaryDigest() });
  });
});

describe("ingest refuses what it cannot trust", () => {
  const refusals: [string, (events: StoredEvent[]) => Promise<Response>][] = [
    ["a signature made with another key", (e) => h.push(e, { key: "sig_forged_0123456789abcdef" })],
    [
      "a body changed after signing",
      (e) => h.push(e, { tamper: (b) => b.replace('"seq":1', '"seq":1 ') }),
    ],
    [
      "a body with one more event",
      (e) =>
        h.push(e, {
          tamper: (b) =>
            b.replace('{"events":[', `{"events":[${JSON.stringify({ ...e[0], seq: 99 })},`),
        }),
    ],
    [
      "a signature for another reader's URL",
      (e) => h.push(e, { url: "http://other-reader.test/v1/ingest" }),
    ],
    [
      "no signature",
      async (e) =>
        h.app.request(`${readerUrl}/v1/ingest`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ events: e }),
        }),
    ],
    [
      "a garbage signature",
      async (e) =>
        h.app.request(`${readerUrl}/v1/ingest`, {
          method: "POST",
          headers: { "content-type": "application/json", "upstash-signature": "not.a.jwt" },
          body: JSON.stringify({ events: e }),
        }),
    ],
  ];

  it.each(refusals)("refuses %s with 401 and changes nothing", async (_name, send) => {
    h = await readerHarness();
    await writeCatalogHistory(h.api, 5);
    const log = await h.log();
    const before = await status();
    const res = await send(log);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect(await status()).toEqual(before);
  });

  it("accepts the next signing key, for rotation", async () => {
    h = await readerHarness();
    await writeCatalogHistory(h.api, 5);
    const log = await h.log();
    expect((await h.push(log, { key: signingKeys.next })).status).toBe(200);
    expect((await status()).watermark).toBe(log.at(-1)?.seq);
  });

  it("answers a validly signed batch that is not an event batch with 422 (a poison message)", async () => {
    h = await readerHarness();
    const res = await h.push([{ seq: -1 } as unknown as StoredEvent]);
    expect(res.status).toBe(422);
    const after = (await (await h.app.request(`${readerUrl}/v1/status`)).json()) as {
      watermark: number;
      lastPoison: { message: string; at: string } | null;
    };
    expect(after.watermark).toBe(0);
    // reported, so an operator sees why QStash keeps retrying (and then dead-letters) it
    expect(after.lastPoison).toMatchObject({ message: "the push is not an event batch" });
  });
});
