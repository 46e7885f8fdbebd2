import type { Redis } from "@upstash/redis";
import { digestOfSum, zeroHash } from "../../../digest/index.ts";
import type { ViewStore } from "../../viewStore.ts";
import { turnBatch } from "../turnBatch.ts";
import { applyBatch } from "./applyBatch.ts";
import { applyRunner } from "./applyScript.ts";
import { bulkLoadRedis } from "./bulkLoad.ts";
import { redisDigest } from "./digest.ts";
import { redisKeys } from "./keys.ts";
import { needsLoader } from "./loadNeeds.ts";
import { modelReads } from "./modelReads.ts";
import { watermarkFrom } from "./replies.ts";
import { unavailableOnOutage } from "./unavailable.ts";

export interface RedisViewStoreOptions {
  /**
   * Every key starts with it (default `"views:"`), so a projection version
   * can be rebuilt beside the live one and switched to by prefix.
   */
  prefix?: string;
  /**
   * Larger write batches are staged in chunks before the one atomic apply
   * call. Default 4 MiB, well inside Upstash's 10 MB request limit.
   */
  maxRequestBytes?: number;
  /** Plans tried while concurrent appliers keep winning; default 10. */
  maxApplyAttempts?: number;
  /**
   * Start the reads of an event-loop turn together (`turnBatch`), so an
   * auto-pipelining client (the default) sends them in one request: for a
   * reader serving many requests at once (Node, Bun, Deno). Default off, and
   * off on Workers: workerd lets no request wait on I/O another one began.
   */
  turnReads?: boolean;
}

/**
 * The view store on Upstash Redis, for edge readers (Workers included: it
 * imports nothing but `@upstash/redis` types and `shared/`).
 *
 * Layout, all under `prefix` (details in keys.ts): one JSON string per
 * product, page, listing entry, search entry and stats record; categories in
 * one hash plus a slug → id hash; per category a member set, lex-ordered
 * zsets per listing sort (all and in-stock) and price zsets per currency; a
 * zset of product ids per search word; a lex index of keys per record kind
 * for the digest; the watermark as decimal digits.
 *
 * Round trips, each one HTTPS request:
 * - apply: one pipeline per round of projection needs, then one script call
 *   (EVALSHA; EVAL once after a NOSCRIPT). Rounds: 1, categories and the
 *   named products, which also re-checks the watermark; 2, counters and a
 *   rename's members, only when counts or names reach other records; 3,
 *   price ranges, only when a category's min or max product leaves. So a
 *   stock change is 2 round trips, a sell-out 3, a 1,000-product rename 3.
 *   Extra: 1 GET of the watermark on a store's first apply, and before
 *   answering duplicate or gap from a remembered watermark; a full re-plan
 *   after a lost compare-and-set; one RPUSH per chunk for a batch over
 *   `maxRequestBytes`.
 * - bulkLoad (a rebuild from seq 0, bulkLoad.ts): 1 script call to mark the
 *   namespace loading, 1 or more to empty what a cut-short load left, 1 per
 *   request of records (each under `maxRequestBytes`, two on the wire at
 *   once), 1 to finish.
 * - watermark: 1 GET. read: 1 round trip, the read model's (an MGET of the
 *   watermark and a stored answer, or one read-only script), with
 *   `turnReads` one shared by the turn's reads. digest: 1
 *   script call per 1,000 records.
 *
 * Any client works: replies are read the same whether the client
 * deserializes JSON (the default) or not (`automaticDeserialization: false`,
 * recommended), see replies.ts. Leave `readYourWrites` on (the default):
 * after a lost race the store re-reads, and the sync token keeps a lagging
 * read replica from answering with what the race was lost to.
 *
 * @example
 * import { Redis } from "@upstash/redis/cloudflare";
 * const store = createRedisViewStore(
 *   new Redis({ url, token, automaticDeserialization: false }),
 *   { prefix: "views:v1:" },
 * );
 * await store.apply(events); // → { status: "applied", watermark: 42, applied: 3 }
 * await store.read(productPage, { slug: "desk-lamp" }); // → { watermark: 42, body: '{"id":…}' }
 */
export function createRedisViewStore(redis: Redis, options: RedisViewStoreOptions = {}): ViewStore {
  const keys = redisKeys(options.prefix ?? "views:");
  const maxRequestBytes = options.maxRequestBytes ?? 4 * 1024 * 1024;
  const watermark = async () => watermarkFrom(await redis.get(keys.watermark));
  const read = modelReads(redis, keys, options.turnReads ? turnBatch() : undefined);
  const walk = redisDigest(redis, keys);
  return unavailableOnOutage({
    watermark,
    read: (model, plan) => read(model, plan),
    apply: applyBatch({
      namespace: keys.prefix,
      readWatermark: watermark,
      loadRound: needsLoader(redis, keys),
      runApply: applyRunner(redis, keys, maxRequestBytes),
      maxAttempts: options.maxApplyAttempts ?? 10,
    }),
    digest: async (options) => {
      if (options?.fresh) return walk();
      const [w, kept] = await redis.mget<[unknown, unknown]>([keys.watermark, keys.digest]);
      const sum = typeof kept === "string" && kept.startsWith("x") ? kept.slice(1) : zeroHash;
      return { watermark: watermarkFrom(w), digest: await digestOfSum(sum) };
    },
    bulkLoad: (chunks, watermark) =>
      bulkLoadRedis(redis, keys, chunks, watermark, { maxRequestBytes }),
    // The client is stateless HTTP: nothing to release, and the caller owns it.
    close: () => Promise.resolve(),
  });
}
