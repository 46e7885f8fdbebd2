import type { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import { createBulkFold } from "../../shared/projection/bulkFold.ts";
import type { ViewRecord } from "../../shared/projection/records.ts";
import { diffViews } from "../../shared/testing/compareViews.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import { bulkLoadingWatermark } from "../../shared/views/bulkBuild.ts";
import { BulkLoadSuperseded } from "../../shared/views/stores/redis/bulkLoad.ts";
import { bulkChunkLua } from "../../shared/views/stores/redis/bulkLua.ts";
import {
  type LocalUpstash,
  startLocalUpstash,
} from "../../shared/views/stores/redis/localUpstash.ts";
import { createRedisViewStore } from "../../shared/views/stores/redis/redisViewStore.ts";
import { rebuildViews } from "./rebuildViews.ts";

let upstash: LocalUpstash;
let redis: Redis;
let prefixes = 0;
const freshPrefix = () => `bulk:${prefixes++}:`;
/** A store on a prefix of its own; small requests, so a load takes many script calls. */
const open = (prefix = freshPrefix(), client = redis) => ({
  prefix,
  store: createRedisViewStore(client, { prefix, maxRequestBytes: 256 * 1024 }),
});

beforeAll(async () => {
  upstash = await startLocalUpstash();
  redis = upstash.client({ automaticDeserialization: false });
});
afterAll(async () => {
  await upstash?.stop();
});

/**
 * Every key under a prefix (the prefix cut off) with its whole content, so
 * two namespaces compare structure for structure: the sorted-set indexes,
 * postings, facet counts and record hashes as much as the records.
 */
async function contents(prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, { match: `${prefix}*`, count: 1_000 });
    cursor = String(next);
    keys.push(...found.map(String));
  } while (cursor !== "0");
  keys.sort();
  const types = redis.pipeline();
  for (const key of keys) types.type(key);
  const kinds = await types.exec<string[]>();
  const reads = redis.pipeline();
  keys.forEach((key, i) => {
    if (kinds[i] === "string") reads.get(key);
    else if (kinds[i] === "hash") reads.hgetall(key);
    else if (kinds[i] === "set") reads.smembers(key);
    else if (kinds[i] === "zset") reads.zrange(key, 0, -1, { withScores: true });
    else throw new Error(`${key} is a ${kinds[i]}`);
  });
  const values = keys.length > 0 ? await reads.exec<unknown[]>() : [];
  const out: Record<string, unknown> = {};
  keys.forEach((key, i) => {
    const value = values[i];
    // hash fields and set members come in no particular order
    out[key.slice(prefix.length)] =
      kinds[i] === "set" || kinds[i] === "hash" ? pairsSorted(kinds[i], value) : value;
  });
  return out;
}

function pairsSorted(kind: string | undefined, value: unknown): unknown {
  const list = (value as unknown[]).map(String);
  if (kind === "set") return list.sort();
  const pairs: string[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push(`${list[i]}=${list[i + 1]}`);
  return pairs.sort();
}

/** A fold's records with a crash after `chunks` of them. */
function* dying(records: Iterable<ViewRecord[]>, chunks: number): Generator<ViewRecord[]> {
  let n = 0;
  for (const chunk of records) {
    if (n++ === chunks) throw new Error("killed mid-load");
    yield chunk;
  }
}

// The bulk path writes every structure an apply keeps, grouped into a few
// variadic commands per script call instead of one write at a time; what it
// writes must be what applying writes, key for key, and evolve the same.
describe("bulk load into Redis views", () => {
  // smaller than the SQL suite's: every read diffViews makes is an HTTP round trip
  const history = generateHistory(2_000, 2026);
  const first = history.slice(0, 1_500);
  const rest = history.slice(1_500);

  it("writes what applying writes, key for key and read for read, and takes later applies the same way", async () => {
    const [bulk, applied] = [open(), open()];
    const summary = await rebuildViews({ source: memoryEventSource(first), store: bulk.store });
    await rebuildViews({ source: memoryEventSource(first), store: applied.store, bulk: false });
    expect(summary).toMatchObject({ events: 1_500, watermark: 1_500 });
    expect(await contents(bulk.prefix)).toEqual(await contents(applied.prefix));
    expect(await diffViews(bulk.store, applied.store, first)).toEqual([]);
    // the kept digest (record hashes) agrees with one computed from every record
    expect((await bulk.store.digest({ fresh: true })).digest).toBe(
      (await bulk.store.digest()).digest,
    );

    for (let i = 0; i < rest.length; i += 250) {
      const page = rest.slice(i, i + 250);
      expect(await bulk.store.apply(page)).toEqual(await applied.store.apply(page));
    }
    expect(await contents(bulk.prefix)).toEqual(await contents(applied.prefix));
    expect(await diffViews(bulk.store, applied.store, history)).toEqual([]);
    expect((await bulk.store.digest({ fresh: true })).digest).toBe(
      (await applied.store.digest()).digest,
    );
  }, 120_000);

  it("writes a part sent twice once, as when a client retries after a lost reply", async () => {
    // every part of the load reaches Redis twice: once more before the request itself
    const twice = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop !== "pipeline") return Reflect.get(target, prop, receiver);
        return () => {
          const request = target.pipeline();
          let part: [string[], string[]] | null = null;
          const wrapped: typeof request = new Proxy(request, {
            get(inner, name) {
              if (name === "eval") {
                return (script: string, keys: string[], args: string[]) => {
                  if (script === bulkChunkLua) part = [keys, args];
                  inner.eval(script, keys, args);
                  return wrapped;
                };
              }
              if (name === "exec") {
                return async () => {
                  if (part) {
                    const again = target.pipeline();
                    again.eval(bulkChunkLua, ...part);
                    await again.exec();
                  }
                  return inner.exec();
                };
              }
              const value = Reflect.get(inner, name);
              return typeof value === "function" ? value.bind(inner) : value;
            },
          });
          return wrapped;
        };
      },
    });
    const [bulk, applied] = [open(freshPrefix(), twice), open()];
    await rebuildViews({ source: memoryEventSource(first), store: bulk.store });
    await rebuildViews({ source: memoryEventSource(first), store: applied.store, bulk: false });
    expect(await contents(bulk.prefix)).toEqual(await contents(applied.prefix));
  });

  it("loads the same through a client that deserializes replies (the default)", async () => {
    const bulk = open(freshPrefix(), upstash.client());
    const reference = open();
    await rebuildViews({ source: memoryEventSource(first), store: bulk.store });
    await reference.store.apply(first);
    expect(await contents(bulk.prefix)).toEqual(await contents(reference.prefix));
  });

  it("leaves views a crash cut short marked loading: no apply lands there, and a new rebuild redoes them", async () => {
    const { prefix, store } = open();
    const fold = createBulkFold();
    fold.add(first);
    await expect(store.bulkLoad?.(dying(fold.records(100), 3), fold.watermark)).rejects.toThrow(
      "killed mid-load",
    );
    expect(await store.watermark()).toBe(bulkLoadingWatermark);
    await expect(store.apply(first.slice(0, 10))).rejects.toThrow(/unfinished bulk load/);

    const redone = await rebuildViews({ source: memoryEventSource(first), store });
    const reference = open();
    await reference.store.apply(first);
    expect(redone.digest).toBe((await reference.store.digest()).digest);
    // nothing of the cut-short load is left over, bookkeeping included
    expect(await contents(prefix)).toEqual(await contents(reference.prefix));
    expect(await diffViews(store, reference.store, first)).toEqual([]);
  }, 120_000);

  it("refuses views that already hold applied events", async () => {
    const { store } = open();
    await store.apply(first.slice(0, 10));
    const fold = createBulkFold();
    fold.add(first);
    await expect(store.bulkLoad?.(fold.records(), fold.watermark)).rejects.toThrow(
      /nobody has applied to; .* is at seq 10/,
    );
    expect(await store.watermark()).toBe(10);
  });

  it("lets the later of two concurrent loads win, whatever the interleaving", async () => {
    const { prefix, store } = open();
    const fold = createBulkFold();
    fold.add(first);
    const outcomes = await Promise.allSettled([
      store.bulkLoad?.(fold.records(50), fold.watermark),
      store.bulkLoad?.(fold.records(50), fold.watermark),
    ]);
    expect(outcomes.some((o) => o.status === "fulfilled")).toBe(true);
    for (const o of outcomes) {
      // superseded mid-load, or started after the other had finished
      if (o.status === "rejected") {
        expect(
          o.reason instanceof BulkLoadSuperseded || /is at seq 1500/.test(String(o.reason)),
        ).toBe(true);
      }
    }
    const reference = open();
    await reference.store.apply(first);
    expect(await contents(prefix)).toEqual(await contents(reference.prefix));
  });
});
