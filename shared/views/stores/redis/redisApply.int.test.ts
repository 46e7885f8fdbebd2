import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { smallCatalog } from "../../../testing/contract/applyProtocol.ts";
import { treeCatalog } from "../../../testing/contract/statsAndNavigation.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { applyRunner } from "./applyScript.ts";
import { redisKeys } from "./keys.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore, type RedisViewStoreOptions } from "./redisViewStore.ts";

let upstash: LocalUpstash;
let prefixes = 0;
const freshPrefix = () => `apply:${prefixes++}:`;
const open = (options: RedisViewStoreOptions = {}) =>
  createRedisViewStore(upstash.client(), { prefix: freshPrefix(), ...options });

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

/** home > lamps with `count` active products, then a rename of home. */
function bigCategory(count: number) {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  for (let i = 0; i < count; i++) {
    log.product({
      slug: `lamp-${i}`,
      name: `Lamp ${i}`,
      description: `A lamp with a description long enough to look like a real one, number ${i}`,
      categoryId: lamps,
      attributes: { watts: i % 60, color: "brass" },
    });
  }
  return { log, home };
}

async function expectEveryPageRenamed(
  store: ReturnType<typeof open>,
  count: number,
): Promise<void> {
  const pages = await Promise.all(
    Array.from({ length: count }, (_, i) => readsOf(store).productPage({ slug: `lamp-${i}` })),
  );
  const paths = new Set(pages.map((p) => p.data?.category.path.map((c) => c.name).join(" > ")));
  expect(paths).toEqual(new Set(["House & Home > Lamps"]));
}

const stagingKeys = async (prefix: string) => {
  const [, found] = await upstash.client().scan(0, { match: `${prefix}staging:*`, count: 1_000 });
  return found;
};

describe("a category rename with 1,000 products", () => {
  it("changes every page in one apply, inline in one script call", async () => {
    const { log, home } = bigCategory(1_000);
    const store = open();
    await store.apply(log.events);
    const rename = log.renameCategory(home, "House & Home");
    const fetches = vi.spyOn(globalThis, "fetch");
    const started = performance.now();
    try {
      expect(await store.apply([rename])).toEqual({
        status: "applied",
        watermark: rename.seq,
        applied: 1,
      });
      // round 1: categories and the watermark check; round 2: the members; the script
      expect(fetches).toHaveBeenCalledTimes(3);
    } finally {
      fetches.mockRestore();
    }
    const ms = performance.now() - started;
    console.info(`1,000-product rename: one apply, 3 round trips, ${ms.toFixed(0)} ms`);
    await expectEveryPageRenamed(store, 1_000);
    expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
  });

  it("changes every page in one apply when the ops are staged across requests", async () => {
    const { log, home } = bigCategory(1_000);
    const prefix = freshPrefix();
    const store = createRedisViewStore(upstash.client(), { prefix, maxRequestBytes: 64 * 1024 });
    await store.apply(log.events);
    const rename = log.renameCategory(home, "House & Home");
    const fetches = vi.spyOn(globalThis, "fetch");
    try {
      expect(await store.apply([rename])).toMatchObject({ status: "applied", applied: 1 });
      // ~700 kB of ops in 64 kB chunks: RPUSHes (and one EXPIRE) before the one script call
      expect(fetches.mock.calls.length).toBeGreaterThan(10);
    } finally {
      fetches.mockRestore();
    }
    await expectEveryPageRenamed(store, 1_000);
    expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
    expect(await stagingKeys(prefix)).toEqual([]);
  });
});

describe("atomic apply with a watermark compare-and-set", () => {
  it("writes nothing when the watermark is not the expected one, staged or not", async () => {
    const prefix = freshPrefix();
    const keys = redisKeys(prefix);
    const redis = upstash.client();
    const ops = ["u", "page", "p", JSON.stringify({ slug: "p" })];
    for (const maxBytes of [1 << 20, 8]) {
      const run = applyRunner(redis, keys, maxBytes);
      expect(await run({ expected: 3, next: 4, ops })).toEqual({ status: "stale", watermark: 0 });
    }
    expect(await redis.get(keys.page("p"))).toBeNull();
    expect(await redis.get(keys.watermark)).toBeNull();
    expect(await stagingKeys(prefix)).toEqual([]);
  });

  it("writes nothing when an op fails after others were planned", async () => {
    const keys = redisKeys(freshPrefix());
    const redis = upstash.client();
    const run = applyRunner(redis, keys, 1 << 20);
    const good = ["u", "page", "p", JSON.stringify({ slug: "p" })];
    const keysOnly = { price_asc: "a", price_desc: "b", name: "c", newest: "d" };
    const summary = { price: { currency: "EUR" } }; // no amount: the zset score is missing
    const noPrice = { id: "x", categoryId: "c", inStock: true, keys: keysOnly, summary };
    for (const corrupt of [
      ["u", "listing", "x", "{not json"],
      ["u", "listing", "x", JSON.stringify(noPrice)],
      ["u", "no-such-kind", "x", "{}"],
    ]) {
      await expect(run({ expected: 0, next: 1, ops: [...good, ...corrupt] })).rejects.toThrow();
    }
    expect(await redis.get(keys.page("p"))).toBeNull();
    expect(await redis.get(keys.watermark)).toBeNull();
  });

  it("applies a batch once when two store instances race for it", async () => {
    const prefix = freshPrefix();
    const [a, b] = [0, 1].map(() => createRedisViewStore(upstash.client(), { prefix }));
    if (!a || !b) throw new Error("two stores");
    const { events } = treeCatalog().log;
    const results = await Promise.all([a.apply(events), b.apply(events), a.apply(events)]);
    expect(results.map((r) => r.status).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    expect((await b.digest()).digest).toBe((await referenceFold(events)).digest);
  });

  it("re-plans from the real watermark when another instance applied meanwhile", async () => {
    const prefix = freshPrefix();
    const [a, b] = [0, 1].map(() => createRedisViewStore(upstash.client(), { prefix }));
    if (!a || !b) throw new Error("two stores");
    const { events } = smallCatalog();
    await a.apply(events.slice(0, 3));
    await b.apply(events.slice(3, 4)); // b now remembers watermark 4
    await a.apply(events.slice(4, 6)); // …and is behind: the store is at 6
    expect(await b.apply(events.slice(3, 6))).toEqual({ status: "duplicate", watermark: 6 });
    expect(await b.apply(events.slice(5))).toEqual({ status: "applied", watermark: 8, applied: 2 });
    expect(await a.apply(events.slice(7))).toEqual({ status: "duplicate", watermark: 8 });
    expect((await a.digest()).digest).toBe((await referenceFold(events)).digest);
  });
});

describe("round trips", () => {
  it("are one per query and need round plus one script call per apply", async () => {
    const store = open();
    const { log } = treeCatalog();
    await store.apply(log.events);
    // Redis caches a script after its first EVAL; from then on EVALSHA is one round trip.
    await readsOf(store).categoryListing({ slug: "lamps", sort: "name", inStock: false, limit: 2 });
    await readsOf(store).search({ q: "l1", limit: 1 });
    await readsOf(store).categoryStats({ slug: "lamps" });
    await readsOf(store).navigation();
    (await store.digest()).digest;
    const fetches = vi.spyOn(globalThis, "fetch");
    const count = async (run: () => Promise<unknown>) => {
      fetches.mockClear();
      await run();
      return fetches.mock.calls.length;
    };
    try {
      // a stock change within a product's stock status: round 1 (categories, the product,
      // the watermark check) and the script
      expect(await count(() => store.apply([log.stock("l1", 4)]))).toBe(2);
      // one that sells out also changes counters: round 2 loads them
      expect(await count(() => store.apply([log.stock("l1", 0)]))).toBe(3);
      // a min price leaves: round 3 loads that category's price range
      expect(await count(() => store.apply([log.archive("l3"), log.price("g1", 900)]))).toBe(4);
      expect(await count(() => readsOf(store).productPage({ slug: "l1" }))).toBe(1);
      expect(
        await count(() =>
          readsOf(store).categoryListing({ slug: "lamps", sort: "name", inStock: true, limit: 1 }),
        ),
      ).toBe(1);
      expect(await count(() => readsOf(store).search({ q: "l1 l2", limit: 5 }))).toBe(1);
      expect(await count(() => readsOf(store).categoryStats({ slug: "lamps" }))).toBe(1);
      expect(await count(() => readsOf(store).navigation())).toBe(1);
      expect(await count(() => store.digest())).toBe(1);
      expect(await count(() => store.close())).toBe(0);
    } finally {
      fetches.mockRestore();
    }
  });
});
