import { Redis } from "@upstash/redis/cloudflare";
import type { EventSource } from "../../shared/events/eventSource.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import { openRedisGenerations } from "../../shared/views/stores/redis/redisGenerations.ts";
import { openD1Generations } from "../../shared/views/stores/sql/d1Generations.ts";
import type { D1Binding } from "../../shared/views/stores/sql/drivers/d1.ts";
import { d1BindingName, type ReaderConfig } from "../config.ts";

const isD1 = (value: unknown): value is D1Binding =>
  typeof (value as D1Binding | null)?.prepare === "function" &&
  typeof (value as D1Binding | null)?.batch === "function";

/**
 * The Worker's store by `STORE`: Upstash Redis over REST, or D1 through the
 * binding `VIEWS_DB`. The SQL store comes along only as its D1 driver: no
 * native libSQL reaches the bundle.
 */
export function openWorkerStore(
  config: ReaderConfig,
  env: Record<string, unknown>,
  log: EventSource,
): Promise<GenerationalStore> {
  if (config.store === "d1") {
    const d1 = env[d1BindingName];
    if (!isD1(d1))
      throw new Error(`STORE=d1 needs a D1 binding named ${d1BindingName} in wrangler.toml`);
    return openD1Generations(d1, log);
  }
  if (config.store !== "redis" || !config.redis)
    throw new Error(
      "the Worker reader needs STORE=d1 with a VIEWS_DB binding, or STORE=redis with UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN",
    );
  const redis = new Redis({
    url: config.redis.url,
    token: config.redis.token,
    automaticDeserialization: false,
  });
  return openRedisGenerations(redis, log);
}
