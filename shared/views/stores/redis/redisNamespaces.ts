import type { Redis } from "@upstash/redis";
import { frozenReads } from "../../generations/frozenReads.ts";
import {
  type ActiveNamespace,
  retiredWatermark,
  type SwitchOutcome,
  type ViewNamespaces,
} from "../../generations/viewNamespaces.ts";
import type { ViewStore } from "../../viewStore.ts";
import { frozenApply } from "./frozenApply.ts";
import { keyParts, redisKeys, redisLayoutVersion } from "./keys.ts";
import { createRedisViewStore, type RedisViewStoreOptions } from "./redisViewStore.ts";

/** A retired namespace keeps its watermark this long, for processes that still hold it. */
const tombstoneSeconds = 86_400;
const noNamespace = "-";

/**
 * ARGV: base, from (or "-" for none), to, to's epoch. Reply: ["switched"],
 * ["moved", active or "-"] or ["behind", watermark, target]. One script, so
 * the compare of both watermarks, the registry change and the retirement of
 * `from` are one atomic step.
 */
const switchLua = `
local base = ARGV[1]
local function prefix(ns) if ns == "" then return base end return base .. ns .. ":" end
local active = redis.call("HGET", base .. "registry", "active")
if not active and redis.call("EXISTS", base .. ${JSON.stringify(keyParts.watermark)}) == 1 then active = "" end
local from, to = ARGV[2], ARGV[3]
if from == "${noNamespace}" then
  if active then return { "moved", active } end
else
  if active ~= from then return { "moved", active or "${noNamespace}" } end
  local watermark = tonumber(redis.call("GET", prefix(to) .. "watermark") or "0")
  local target = tonumber(redis.call("GET", prefix(from) .. "watermark") or "0")
  if watermark < target then return { "behind", tostring(watermark), tostring(target) } end
  redis.call("SET", prefix(from) .. "watermark", "${retiredWatermark}", "EX", ${tombstoneSeconds})
end
redis.call("HSET", base .. "registry", "active", to, "epoch", ARGV[4])
if to ~= "" then redis.call("SADD", base .. "namespaces", to) end
return { "switched" }
`;

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** HGETALL comes back as an object, or as a flat field/value list without deserialization. */
const fieldsOf = (reply: unknown): Record<string, unknown> | null => {
  if (!Array.isArray(reply)) return (reply as Record<string, unknown> | null) ?? null;
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1];
  return fields;
};

/**
 * Namespaces of the Redis view store under one base prefix: namespace `g1…`
 * keeps its keys under `<base>g1…:`, and namespace "" (stores from before
 * namespaces) directly under `<base>`. The registry is a hash
 * `<base>registry` (active, epoch); the switch is one script. Reads resolve
 * nothing: a process on a retired namespace sees the -1 watermark on its next
 * read or apply and asks the registry again.
 *
 * @example
 * const namespaces = redisViewNamespaces(redis, { prefix: "views:" });
 */
export function redisViewNamespaces(
  redis: Redis,
  options: RedisViewStoreOptions = {},
): ViewNamespaces {
  const base = options.prefix ?? "views:";
  const prefixOf = (namespace: string) => (namespace === "" ? base : `${base}${namespace}:`);
  const script = redis.createScript<unknown>(switchLua);

  const legacyLive = async () => {
    const w = asText(await redis.get(base + keyParts.watermark));
    return w !== null && w !== String(retiredWatermark);
  };

  /** A namespace's key layout; a new one is stamped with this code's. */
  const layoutOf = async (prefix: string): Promise<number> => {
    const keys = redisKeys(prefix);
    const [layout, watermark] = (await redis.mget(keys.layout, keys.watermark)) as unknown[];
    if (layout !== null && layout !== undefined) return Number(layout);
    // Layout 1 stamped nothing: a namespace with a watermark but no stamp is one.
    if (watermark !== null && watermark !== undefined) return 1;
    await redis.set(keys.layout, String(redisLayoutVersion), { nx: true });
    return layoutOf(prefix);
  };

  const deleteMatching = async (pattern: string, keep: string) => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, { match: pattern, count: 1_000 });
      cursor = String(next);
      const doomed = (keys as unknown[]).map(String).filter((k) => k !== keep);
      if (doomed.length > 0) await redis.del(...doomed);
    } while (cursor !== "0");
  };

  return {
    async active(): Promise<ActiveNamespace | null> {
      const registry = fieldsOf(await redis.hgetall(`${base}registry`));
      const namespace = asText(registry?.active);
      if (namespace !== null) return { namespace, epoch: Number(asText(registry?.epoch) ?? 0) };
      return (await legacyLive()) ? { namespace: "", epoch: 0 } : null;
    },
    async open(namespace: string): Promise<ViewStore> {
      if (namespace !== "") await redis.sadd(`${base}namespaces`, namespace);
      const prefix = prefixOf(namespace);
      const store = createRedisViewStore(redis, { ...options, prefix });
      const layout = await layoutOf(prefix);
      if (layout === redisLayoutVersion) return store;
      return {
        ...frozenReads(namespace, layout, redisLayoutVersion),
        apply: frozenApply(redis, redisKeys(prefix), namespace),
        watermark: store.watermark,
      };
    },
    async switchTo(from, to): Promise<SwitchOutcome> {
      const reply = (await script.exec(
        [],
        [base, from ?? noNamespace, to.namespace, String(to.epoch)],
      )) as unknown[];
      const [status, a, b] = reply.map(asText);
      if (status === "switched") return { status: "switched" };
      if (status === "behind") return { status: "behind", watermark: Number(a), target: Number(b) };
      return { status: "moved", active: a === noNamespace || a === undefined ? null : a };
    },
    async drop(namespace: string): Promise<void> {
      const active = await this.active();
      if (active?.namespace === namespace) {
        throw new Error(`view namespace "${namespace}" is active and cannot be dropped`);
      }
      const prefix = prefixOf(namespace);
      // The watermark stays as the -1 tombstone (with its TTL) for processes still on it.
      const keep = prefix + keyParts.watermark;
      if (namespace === "") {
        for (const part of Object.values(keyParts)) await deleteMatching(`${base}${part}*`, keep);
      } else {
        await deleteMatching(`${prefix}*`, keep);
        await redis.srem(`${base}namespaces`, namespace);
      }
    },
    async list(): Promise<string[]> {
      const members = ((await redis.smembers(`${base}namespaces`)) as unknown[]).map(String);
      const legacy = (await legacyLive()) ? [""] : [];
      return [...legacy, ...members].sort();
    },
  };
}
