import { openSqlViewStore } from "../../shared/views/sql/openSqlViewStore.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderConfig } from "../config.ts";

/**
 * The store a Node, Bun or Deno reader runs on, by configuration. Never
 * imported by the Worker entry: the SQL store is native libSQL.
 */
export async function openStore(config: ReaderConfig): Promise<ViewStore> {
  if (config.store === "sqlite") return openSqlViewStore(config.viewDbUrl);
  const { Redis } = await import("@upstash/redis");
  const { createRedisViewStore } = await import("./redis/redisViewStore.ts");
  if (!config.redis)
    throw new Error("STORE=redis needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
  return createRedisViewStore(
    new Redis({
      url: config.redis.url,
      token: config.redis.token,
      automaticDeserialization: false,
    }),
  );
}
