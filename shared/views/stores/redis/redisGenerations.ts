import type { Redis } from "@upstash/redis";
import type { EventSource } from "../../../events/eventSource.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../generations/generationalStore.ts";
import { readModelVersions } from "../../models/readModelVersions.ts";
import { redisLayoutVersion } from "./keys.ts";
import { redisViewNamespaces } from "./redisNamespaces.ts";
import type { RedisViewStoreOptions } from "./redisViewStore.ts";

/**
 * The Redis view store across generations, under the default `views:` base
 * prefix; the Worker and the Node/Bun/Deno entries open it the same way,
 * those with `turnReads`.
 *
 * @example
 * const store = await openRedisGenerations(new Redis({ url, token, automaticDeserialization: false }), log);
 */
export function openRedisGenerations(
  redis: Redis,
  log: EventSource,
  options: Pick<RedisViewStoreOptions, "turnReads"> = {},
): Promise<GenerationalStore> {
  return openGenerationalStore({
    namespaces: redisViewNamespaces(redis, options),
    log,
    versions: readModelVersions,
    layout: redisLayoutVersion,
  });
}
