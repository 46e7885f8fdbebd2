import type { Redis } from "@upstash/redis";
import type { AnyReadModel, RedisReadContext } from "../../models/readModel.ts";
import type { StoredRead } from "../../viewStore.ts";
import type { TurnBatch } from "../turnBatch.ts";
import type { RedisKeys } from "./keys.ts";

/**
 * Each read model's Redis read over one namespace: one round trip that sees
 * one snapshot (an MGET, or the model's read-only script: EVALSHA_RO, and
 * EVAL_RO once after a NOSCRIPT). Scripts are made once per model. With a
 * `batch` the reads of a turn start together, so the client's auto-pipelining
 * (on by default) sends them in one request.
 *
 * @example
 * const read = modelReads(redis, redisKeys("views:"));
 * await read(productPage, { slug: "desk-lamp" }); // → { watermark: 42, body: '{"id":…}' }
 */
export function modelReads(redis: Redis, keys: RedisKeys, batch?: TurnBatch) {
  const contexts = new Map<AnyReadModel, RedisReadContext>();
  const contextOf = (model: AnyReadModel): RedisReadContext => {
    let ctx = contexts.get(model);
    if (!ctx) {
      const lua = model.redis.lua;
      ctx = {
        redis,
        keys,
        script:
          lua === undefined
            ? undefined
            : redis.createScript<unknown, true>(lua, { readonly: true }),
      };
      contexts.set(model, ctx);
    }
    return ctx;
  };
  const read = (model: AnyReadModel, plan: unknown): Promise<StoredRead> =>
    model.redis.read(contextOf(model), plan);
  return batch === undefined
    ? read
    : (model: AnyReadModel, plan: unknown) => batch(() => read(model, plan));
}
