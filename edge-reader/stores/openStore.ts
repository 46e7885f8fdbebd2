import type { EventSource } from "../../shared/events/eventSource.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import { openFileGenerations } from "../../shared/views/stores/sql/fileGenerations.ts";
import type { ReaderConfig } from "../config.ts";

/**
 * The store a Node, Bun or Deno reader runs on, by configuration, spanning
 * view generations: a new read model version is built from `log` beside the
 * live views. Never imported by the Worker entry: the SQL store is native libSQL.
 */
export async function openStore(
  config: ReaderConfig,
  log: EventSource,
): Promise<GenerationalStore> {
  if (config.store === "sqlite") {
    // a new generation is folded in memory and loaded once, not applied batch by batch
    return openFileGenerations(config.viewDbUrl, log, {
      bulkChunk: config.viewBuildBulk ? 5_000 : undefined,
    });
  }
  if (config.store === "d1")
    throw new Error("STORE=d1 runs on the Worker only (a D1 binding); here use sqlite or redis");
  const { Redis } = await import("@upstash/redis");
  const { openRedisGenerations } = await import(
    "../../shared/views/stores/redis/redisGenerations.ts"
  );
  if (!config.redis)
    throw new Error("STORE=redis needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
  const redis = new Redis({
    url: config.redis.url,
    token: config.redis.token,
    automaticDeserialization: false,
  });
  // many requests at once: their reads of a turn go to Upstash in one request
  return openRedisGenerations(redis, log, { turnReads: true });
}
