import type { RedisConfigNodejs } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../events/types.ts";
import { diffSnapshots, diffViews, viewSnapshot } from "../../../testing/compareViews.ts";
import { smallCatalog } from "../../../testing/contract/applyProtocol.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { generateHistory } from "../../../testing/randomHistory.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { mentionsOf } from "../../models/examples.ts";
import { createMemoryViewStore } from "../memory/memoryViewStore.ts";
import { openSqlViewStore } from "../sql/openSqlViewStore.ts";
import { redisKeys } from "./keys.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore } from "./redisViewStore.ts";

let upstash: LocalUpstash;
let prefixes = 0;

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

const clientModes: Array<[string, Partial<RedisConfigNodejs>]> = [
  ["client defaults (JSON deserialization on)", {}],
  ["automaticDeserialization: false", { automaticDeserialization: false }],
];

function open(options: Partial<RedisConfigNodejs> = {}) {
  const prefix = `exact:${prefixes++}:`;
  const redis = upstash.client(options);
  return { store: createRedisViewStore(redis, { prefix }), keys: redisKeys(prefix), redis };
}

describe("what @upstash/redis 1.39.0 does with numbers", () => {
  it("keeps a bare integer past 2^53 as text but rounds one inside JSON", async () => {
    const redis = upstash.client();
    const key = `exact:probe:${prefixes++}`;
    await redis.set(key, "9007199254740993");
    expect(await redis.get(key)).toBe("9007199254740993");
    await redis.set(key, '{"v":9007199254740993}');
    expect(await redis.get(key)).toEqual({ v: 9007199254740992 });
    expect(await upstash.client({ automaticDeserialization: false }).get(key)).toBe(
      '{"v":9007199254740993}',
    );
  });
});

describe.each(clientModes)("big integers, %s", (_, options) => {
  it("refuses a seq past 2^53 with a typed 400 instead of rounding it", async () => {
    const { store } = open(options);
    const [first] = smallCatalog().events;
    if (!first) throw new Error("a catalog");
    const beyond = { ...first, seq: 2 ** 53 + 2 } as StoredEvent;
    await expect(store.apply([first, beyond])).rejects.toMatchObject({
      code: "bad_request",
      status: 400,
    });
    expect(await store.watermark()).toBe(0);
    expect((await store.digest()).digest).toBe((await referenceFold([])).digest);
  });

  it("refuses a stored watermark past 2^53 instead of rounding it", async () => {
    const { store, keys, redis } = open(options);
    await redis.set(keys.watermark, "9007199254740993");
    await expect(store.watermark()).rejects.toThrow(/9007199254740993/);
    await expect(readsOf(store).productPage({ slug: "any" })).rejects.toThrow(/9007199254740993/);
    await expect(readsOf(store).navigation()).rejects.toThrow(/9007199254740993/);
    await expect(store.apply(smallCatalog().events)).rejects.toThrow(/9007199254740993/);
  });

  it("keeps a price sum past 2^53 exact, and prices up to 2^53 exact through min/max", async () => {
    const { store, keys, redis } = open(options);
    const log = new EventLog();
    const big = log.category("big", "Big");
    const amounts = [4_000_000_000_000_001, 4_000_000_000_000_003, 4_000_000_000_000_005];
    for (const [i, amount] of amounts.entries()) {
      const price = { amount, currency: "EUR" };
      log.product({ id: `b${i}`, slug: `b${i}`, name: `B${i}`, categoryId: big, price });
    }
    await store.apply(log.events);
    const counters = await redis.get<unknown>(keys.counters(big));
    const sum = typeof counters === "string" ? counters : JSON.stringify(counters);
    expect(sum).toContain('"sum":"12000000000000009"');
    expect((await readsOf(store).categoryStats({ slug: "big" })).data?.prices).toEqual([
      {
        currency: "EUR",
        count: 3,
        min: 4_000_000_000_000_001,
        max: 4_000_000_000_000_005,
        avg: 4_000_000_000_000_003,
      },
    ]);
    // the dearest leaves: the new max comes from the price zset's scores
    await store.apply([log.archive("b2")]);
    expect((await readsOf(store).categoryStats({ slug: "big" })).data?.prices[0]).toMatchObject({
      max: 4_000_000_000_000_003,
      min: 4_000_000_000_000_001,
    });
    expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
  });
});

describe("ids, slugs and words that look like JSON", () => {
  it("read back exactly with either client mode", async () => {
    const log = new EventLog();
    const c = log.category("42", "null");
    const odd = ["123", "true", "null", "[1]", '"x"', "{}", "1e3", "-0", "0.50"];
    for (const [i, id] of odd.entries()) {
      log.product({
        id,
        slug: id,
        name: `${id} true 123`,
        description: "null false",
        categoryId: c,
        price: { amount: 100 * (i % 3), currency: "EUR" },
      });
    }
    log.update("true", { name: "false" });
    const reference = createMemoryViewStore();
    await reference.apply(log.events);
    const extra = {
      search: ["true", "123", "null false", "1e3", "x"].map((q) => ({ q, limit: 3 })),
    };
    const expected = await viewSnapshot(reference, log.events, extra);
    for (const [, options] of clientModes) {
      const { store } = open(options);
      await store.apply(log.events);
      expect(diffSnapshots(await viewSnapshot(store, log.events, extra), expected)).toEqual([]);
    }
  });
});

describe("search over words many products share", () => {
  it("pages like the reference through every way the script finds its hits", async () => {
    // a combination of words is read by walking its smallest posting, and by
    // the server's intersection once the walk's steps find its ids sparse;
    // this catalog has postings past one step with many ids in common and
    // with few, at every weight
    const log = new EventLog();
    const c = log.category("home", "Home");
    const colors = ["red", "blue", "green"];
    const things = ["lamp", "chair", "desk", "rug"];
    for (let i = 0; i < 600; i++) {
      const color = colors[i % 3] as string;
      const thing = things[(i * 7) % 4] as string;
      const other = i % 13 === 0 ? "oak" : (things[(i + 1) % 4] as string);
      log.product({
        id: `p${String(i).padStart(3, "0")}`,
        slug: `p-${i}`,
        name: i % 11 === 0 ? `${color} ${other}` : `${color} ${thing}`,
        // four words every product has: a query of them all walks 600 ids in steps
        description: `${i % 2 === 0 ? color : "plain"} ${other} ${thing} item goods ware kit`,
        categoryId: c,
        price: { amount: 100 + i, currency: "EUR" },
      });
    }
    const queries = [
      "red lamp",
      "blue oak",
      "green rug desk",
      "oak",
      "chair red plain",
      "lamp chair",
      // past three words: the rarest word's ids scored against the others
      "red lamp chair plain",
      "blue chair plain item",
      "red plain item goods kit",
      "item goods ware kit",
    ];
    const extra = { search: queries.map((q) => ({ q, limit: 3 })) };
    const reference = createMemoryViewStore();
    await reference.apply(log.events);
    for (const q of queries) {
      // every query has more than one page to follow
      expect((await readsOf(reference).search({ q, limit: 3 })).data?.nextCursor).toBeTruthy();
    }
    const { store } = open();
    await store.apply(log.events);
    const expected = await viewSnapshot(reference, log.events, extra);
    expect(diffSnapshots(await viewSnapshot(store, log.events, extra), expected)).toEqual([]);
  });
});

describe("against the SQL store", () => {
  it("has the same digest and answers every read the same for the same history", async () => {
    const events = generateHistory(2_000, 11);
    const sql = await openSqlViewStore(":memory:");
    const { store } = open();
    try {
      for (let i = 0; i < events.length; i += 150) {
        const batch = events.slice(i, i + 150);
        expect((await sql.apply(batch)).status).toBe("applied");
        expect((await store.apply(batch)).status).toBe("applied");
      }
      const digest = (await sql.digest()).digest;
      expect((await store.digest()).digest).toBe(digest);
      expect(digest).toBe((await referenceFold(events)).digest);
      const searches = mentionsOf(events, 40).searches.map((q) => ({ q, limit: 3 }));
      expect(await diffViews(store, sql, events, { search: searches })).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});
