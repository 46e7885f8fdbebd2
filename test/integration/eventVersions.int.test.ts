import { afterEach, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/events/types.ts";
import { writeCatalogHistory } from "./catalogHistory.ts";
import { type Harness, readerHarness, readerUrl } from "./readerHarness.ts";

let h: Harness;
afterEach(() => h.close());

const status = async () =>
  (await (await h.app.request(`${readerUrl}/v1/status`)).json()) as {
    watermark: number;
    digest: string;
  };

/** What a write API from before event versions pushed: no `schemaVersion`, v1 data. */
const asV1Push = (event: StoredEvent): unknown => {
  const {
    schemaVersion: _v,
    meta: _m,
    ...rest
  } = event as StoredEvent & { schemaVersion?: number };
  if (rest.type !== "product.stockAdjusted") return rest;
  const { id, previousStock, stock } = rest.data;
  return { ...rest, data: { id, delta: stock - previousStock, stock } };
};

describe("event versions at the reader", () => {
  it("applies pushes of v1 events upcast, to the primary's digest", async () => {
    h = await readerHarness();
    const head = await writeCatalogHistory(h.api);
    const log = await h.log();
    expect(log.some((e) => e.type === "product.stockAdjusted")).toBe(true);
    for (let i = 0; i < log.length; i += 20) {
      const res = await h.push(log.slice(i, i + 20).map(asV1Push) as StoredEvent[]);
      expect(res.status).toBe(200);
    }
    expect(await status()).toMatchObject({ watermark: head, digest: await h.primaryDigest() });
  });

  it("refuses an event version it does not know with 422 and applies nothing", async () => {
    h = await readerHarness();
    const head = await writeCatalogHistory(h.api, 5);
    const log = await h.log();
    expect((await h.push(log)).status).toBe(200);
    const before = await status();
    const future = {
      seq: head + 1,
      type: "product.stockAdjusted",
      aggregateId: log.find((e) => e.type === "product.created")?.aggregateId,
      data: { stock: { onHand: 3 } },
      at: new Date().toISOString(),
      schemaVersion: 3,
    };
    const res = await h.push([future as unknown as StoredEvent]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: {
        code: "unsupported_event_version",
        message: "upgrade this reader: product.stockAdjusted v3 is newer than this code knows (v2)",
      },
    });
    const after = await status();
    expect({ watermark: after.watermark, digest: after.digest }).toEqual({
      watermark: before.watermark,
      digest: before.digest,
    });
    expect(before.watermark).toBe(head);
  });
});
