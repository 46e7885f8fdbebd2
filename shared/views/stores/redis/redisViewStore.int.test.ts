import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { productPage } from "../../models/productPage/productPage.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore } from "./redisViewStore.ts";

// A real redis-server behind the local Upstash REST server, driven only
// through the official client. Every store gets a prefix of its own, so no
// two stores (cases, or the two stores of one property run) share a key.
let upstash: LocalUpstash;
let stores = 0;

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

// As openStore.ts builds it: the client's defaults, JSON deserialization and
// auto-pipelining on, and the reads of a turn started together.
testViewStore("Upstash Redis, client defaults", async () => {
  const store = createRedisViewStore(upstash.client(), {
    prefix: `contract:${stores++}:`,
    turnReads: true,
  });
  return { store, cleanup: () => store.close() };
});

describe("a reader's Redis store with turn reads", () => {
  it("sends the reads of one turn, started from separate callbacks, in one request", async () => {
    const redis = upstash.client();
    // the auto-pipelining proxy counts the pipelines it has sent; its type does not say so
    const pipelines = () => (redis as unknown as { pipelineCounter: number }).pipelineCounter;
    const store = createRedisViewStore(redis, { prefix: `turns:${stores++}:`, turnReads: true });
    try {
      const slugs = ["a", "b", "c", "d", "e"];
      const before = pipelines();
      // as a server's requests come: each from a callback of its own, with the microtasks between
      const reads = await Promise.all(
        slugs.map(
          (slug) =>
            new Promise((resolve) =>
              setImmediate(() => resolve(store.read(productPage, productPage.plan({ slug })))),
            ),
        ),
      );
      expect(reads).toEqual(slugs.map(() => ({ watermark: 0, body: null })));
      expect(pipelines() - before).toBe(1);
    } finally {
      await store.close();
    }
  });
});
