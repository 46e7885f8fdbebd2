import type { Redis } from "@upstash/redis";
import type { StoredEvent } from "../../../events/types.ts";
import { planBatch } from "../../../projection/protocol.ts";
import { NamespaceRetired, retiredWatermark } from "../../generations/viewNamespaces.ts";
import type { ApplyResult } from "../../viewStore.ts";
import { applyRunner } from "./applyScript.ts";
import type { RedisKeys } from "./keys.ts";
import { watermarkFrom } from "./replies.ts";

/**
 * The apply of a namespace of another key layout (see `frozenReads`): the
 * apply protocol over its watermark alone, the compare-and-set being the
 * apply script with no ops, so nothing of the old layout is touched.
 *
 * @example
 * await frozenApply(redis, redisKeys("views:g1…:"), "g1…")(events); // → { status: "applied", … }
 */
export function frozenApply(redis: Redis, keys: RedisKeys, namespace: string) {
  const run = applyRunner(redis, keys, Number.POSITIVE_INFINITY);
  return async (events: readonly StoredEvent[]): Promise<ApplyResult> => {
    for (;;) {
      const watermark = watermarkFrom(await redis.get(keys.watermark));
      if (watermark === retiredWatermark) throw new NamespaceRetired(namespace);
      const plan = planBatch(watermark, events);
      if (plan.status === "duplicate") return { status: "duplicate", watermark };
      if (plan.status === "gap") return { status: "gap", watermark, missing: plan.missing };
      const outcome = await run({ expected: watermark, next: plan.watermark, ops: [] });
      if (outcome.status === "applied") {
        return { status: "applied", watermark: plan.watermark, applied: plan.events.length };
      }
    }
  };
}
