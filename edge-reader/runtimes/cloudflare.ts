import { Redis } from "@upstash/redis/cloudflare";
import type { ExecutionContext, Hono } from "hono";
import { createReaderApp, type Reader } from "../app.ts";
import { buildReader } from "../buildReader.ts";
import { loadReaderConfig } from "../config.ts";
import { createRedisViewStore } from "../stores/redis/redisViewStore.ts";

type Bindings = Record<string, string | undefined>;

// Bindings arrive with the first request, so the reader is built then, once per isolate.
let built: { app: Hono; reader: Reader } | undefined;
const build = (env: Bindings) => {
  if (built) return built;
  const config = loadReaderConfig(env, { store: "redis" });
  if (!config.redis)
    throw new Error("the Worker reader needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
  const store = createRedisViewStore(
    new Redis({
      url: config.redis.url,
      token: config.redis.token,
      automaticDeserialization: false,
    }),
  );
  const reader = buildReader(config, store, "workerd");
  built = { app: createReaderApp(reader), reader };
  return built;
};

export default {
  fetch: (request: Request, env: Bindings, ctx: ExecutionContext) =>
    build(env).app.fetch(request, env, ctx),
  // The reconcile: the cron trigger in wrangler.toml pulls whatever pushes never brought.
  scheduled: (_event: unknown, env: Bindings, ctx: ExecutionContext) =>
    ctx.waitUntil(build(env).reader.catchUp.run()),
};
