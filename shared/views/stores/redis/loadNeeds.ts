import type { Redis } from "@upstash/redis";
import type { Category, Product } from "../../../domain/catalog.ts";
import {
  type CategoryCounters,
  type Loaded,
  type Need,
  navigationKey,
  type PricePoint,
} from "../../../projection/index.ts";
import type { NavigationNode } from "../../readModels.ts";
import { luaKeys, type RedisKeys } from "./keys.ts";
import { luaReplies, markedReply, recordFrom, recordsFrom, watermarkFrom } from "./replies.ts";

// A rename's fan-out: every product of the given categories, drafts included.
const membersLua = `${luaKeys}
local out = {}
for i = 2, #ARGV do
  for _, id in ipairs(redis.call("SMEMBERS", K.members(ARGV[i]))) do
    local product = redis.call("GET", K.product(id))
    if product then out[#out + 1] = product end
  end
end
return out`;

// The cheapest and dearest `limit` products of one category and currency.
// Equal prices order by id both ways (ZRANGE ties ascend by member, REV ties
// descend), as the SQL store's ORDER BY amount, product_id ASC / DESC does.
const priceRangeLua = `${luaKeys}${luaReplies}
local key, last = K.prices(ARGV[2], ARGV[3]), tonumber(ARGV[4]) - 1
local function points(flat)
  local parts = {}
  for i = 1, #flat, 2 do parts[#parts + 1] = jlist({ jstr(flat[i]), jstr(flat[i + 1]) }) end
  return jlist(parts)
end
return reply({
  points(redis.call("ZRANGE", key, 0, last, "WITHSCORES")),
  points(redis.call("ZRANGE", key, 0, last, "REV", "WITHSCORES")),
})`;

type Points = Array<[id: string, amount: string]>;
const pointsOf = (list: Points): PricePoint[] =>
  list.map(([id, amount]) => ({ id, amount: Number(amount) }));

function answer(n: Need, reply: unknown): Loaded {
  switch (n.kind) {
    case "categories":
      return { kind: "categories", categories: recordsFrom<Category>(reply) };
    case "products":
      return { ...n, products: recordsFrom<Product>(reply) };
    case "counters":
      return { ...n, counters: recordsFrom<CategoryCounters>(reply) };
    case "members":
      return { ...n, products: recordsFrom<Product>(reply) };
    case "priceRange": {
      const [lowest, highest] = markedReply<[Points, Points]>(reply);
      return { ...n, lowest: pointsOf(lowest), highest: pointsOf(highest) };
    }
    case "navigation":
      return { kind: "navigation", navigation: recordFrom<NavigationNode[]>(reply) };
  }
}

export interface LoadedRound {
  loaded: Loaded[];
  /** the watermark as this round saw it, when asked to check it */
  watermark?: number;
}

/**
 * Answers one round of the projection's needs in one pipeline, so a round is
 * one HTTPS round trip however many needs it holds. The pipeline is not
 * atomic and needs none: the apply's watermark compare-and-set rejects
 * changes planned from reads that an apply overtook. Products and counters
 * are one MGET each, categories one HVALS; members and price ranges need a
 * lookup per hit, so they are small read-only scripts sent inline (EVAL_RO:
 * they are rare, renames and min/max removals, and a pipeline cannot fall
 * back from NOSCRIPT).
 *
 * @example
 * const load = needsLoader(redis, keys);
 * const { loaded } = await load([{ kind: "categories" }], false);
 */
export function needsLoader(redis: Redis, keys: RedisKeys) {
  return async (needs: readonly Need[], checkWatermark: boolean): Promise<LoadedRound> => {
    const pipeline = redis.pipeline();
    if (checkWatermark) pipeline.get(keys.watermark);
    for (const n of needs) {
      switch (n.kind) {
        case "categories":
          pipeline.hvals(keys.category);
          break;
        case "products":
          pipeline.mget(n.ids.map(keys.product));
          break;
        case "counters":
          pipeline.mget(n.categoryIds.map(keys.counters));
          break;
        case "navigation":
          pipeline.get(keys.navigation(navigationKey));
          break;
        case "members":
          pipeline.evalRo(membersLua, [], [keys.prefix, ...n.categoryIds]);
          break;
        case "priceRange":
          pipeline.evalRo(priceRangeLua, [], [keys.prefix, n.categoryId, n.currency, n.limit]);
          break;
      }
    }
    const replies = await pipeline.exec<unknown[]>();
    const watermark = checkWatermark ? watermarkFrom(replies.shift()) : undefined;
    const loaded = needs.map((n, i) => answer(n, replies[i]));
    return { loaded, watermark };
  };
}
