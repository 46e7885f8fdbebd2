import type { EventSource } from "../../shared/events/eventSource.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import { openViewDb } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion } from "../../shared/views/stores/sql/tables.ts";
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
    const db = await openViewDb(config.viewDbUrl);
    try {
      const store = await openGenerationalStore({
        namespaces: sqlViewNamespaces(db),
        log,
        versions: readModelVersions,
        layout: viewSchemaVersion,
        // a new generation is folded in memory and loaded once, not applied batch by batch
        ...(config.viewBuildBulk ? { bulk: { chunkSize: 5_000 } } : {}),
      });
      return { ...store, close: () => store.close().finally(() => db.close()) };
    } catch (error) {
      db.close();
      throw error;
    }
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
  return openRedisGenerations(redis, log);
}
