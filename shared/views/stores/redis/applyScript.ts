import type { Redis } from "@upstash/redis";
import { applyLua } from "./applyLua.ts";
import type { RedisKeys } from "./keys.ts";
import { RedisReplyError, watermarkFrom } from "./replies.ts";
import { chunkArgs, jsonBytes } from "./writeChanges.ts";

export type ApplyOutcome = { status: "applied" } | { status: "stale"; watermark: number };

export interface ApplyWrites {
  /** the watermark the batch was planned against: the compare in compare-and-set */
  expected: number;
  /** the batch's last seq: the set */
  next: number;
  ops: readonly string[];
}

/** A staged op list outlives a crashed apply by this long, then Redis drops it. */
const stagingTtlSeconds = 3_600;

/**
 * Runs the apply script through `createScript`, whose `exec` sends EVALSHA
 * and falls back to EVAL on NOSCRIPT. A batch whose ops would overflow one
 * request (Upstash refuses bodies over 10 MB) is staged first: RPUSHed in
 * chunks to a list of its own, then applied by the same single script call,
 * so it still commits all at once or not at all.
 *
 * @example
 * const run = applyRunner(redis, keys, 4 * 2 ** 20);
 * await run({ expected: 7, next: 9, ops }); // → { status: "applied" }
 */
export function applyRunner(redis: Redis, keys: RedisKeys, maxRequestBytes: number) {
  const script = redis.createScript<unknown>(applyLua);

  async function stage(ops: readonly string[]): Promise<string> {
    const list = keys.staging(crypto.randomUUID());
    for (const [i, chunk] of chunkArgs(ops, maxRequestBytes).entries()) {
      await redis.rpush(list, ...chunk);
      if (i === 0) await redis.expire(list, stagingTtlSeconds);
    }
    return list;
  }

  return async (w: ApplyWrites): Promise<ApplyOutcome> => {
    let size = 0;
    for (const op of w.ops) size += jsonBytes(op);
    const staged = size > maxRequestBytes ? await stage(w.ops) : "";
    const head = [keys.prefix, String(w.expected), String(w.next), staged];
    let reply: unknown;
    try {
      reply = await script.exec([keys.watermark], staged ? head : [...head, ...w.ops]);
    } catch (error) {
      if (staged) await redis.del(staged).catch(() => undefined);
      throw error;
    }
    if (reply === "applied") return { status: "applied" };
    // "stale:<digits>" never parses as JSON, so every client hands it over as text
    if (typeof reply === "string" && reply.startsWith("stale:")) {
      return { status: "stale", watermark: watermarkFrom(reply.slice("stale:".length)) };
    }
    throw new RedisReplyError(`the apply script answered ${JSON.stringify(reply)}`);
  };
}
