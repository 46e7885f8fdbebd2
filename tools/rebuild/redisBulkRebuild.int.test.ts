import type { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import { createBulkFold } from "../../shared/projection/bulkFold.ts";
import { testBulkLoad } from "../../shared/testing/bulkLoadContract.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
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

// The bulk path writes every structure an apply keeps, grouped into a few
// variadic commands per script call instead of one write at a time; what it
// writes must be what applying writes, key for key (the shared contract, with
// every key under the prefix compared), and evolve the same.
testBulkLoad("Redis through the local Upstash REST server", async () => {
  const { prefix, store } = open();
  return { store, contents: () => contents(prefix), cleanup: async () => {} };
});

// What only Redis has: a client that retries or deserializes, and loads racing on one prefix.
describe("bulk load into Redis views", () => {
  const first = generateHistory(1_500, 2026);

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
