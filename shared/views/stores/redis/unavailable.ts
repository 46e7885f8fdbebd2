import { AppError } from "../../../errors/index.ts";
import type { ViewStore } from "../../viewStore.ts";

// What the Upstash client surfaces when Redis cannot be reached: fetch's
// network TypeError, or the REST endpoint reporting its own connection failure.
// The local stand-in answers a lost redis-server with its own 500 ("ERR local
// Upstash REST server: …", ioredis' "max retries per request" or "isn't
// writeable"); a proxy's HTML error page fails JSON parsing in the client.
const outage =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket|connection|LOADING|MASTERDOWN|TRYAGAIN|fetch failed|max retries per request|isn't writeable|local Upstash REST server|UpstashJSONParseError/i;

/**
 * True for a failure to reach Redis, as opposed to a bug or corrupt data.
 *
 * @example
 * isRedisOutage(new TypeError("fetch failed")); // → true
 */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof AppError) return false;
  const cause = (error as { cause?: unknown }).cause;
  const text = `${error.name} ${error.message} ${cause instanceof Error ? cause.message : ""}`;
  // A TypeError is fetch's network failure only by its words: the projection
  // throws TypeErrors too, on corrupt records, and those are poison, not outages.
  if (error instanceof TypeError) return /fetch failed|failed to fetch|network/i.test(text);
  return outage.test(text);
}

/**
 * Turns Redis outages into `unavailable` (503, and QStash retries a push),
 * so a store that cannot be reached is neither a 500 nor a poison message.
 *
 * @example
 * const store = unavailableOnOutage(createRedisViewStore(redis));
 */
export function unavailableOnOutage(store: ViewStore): ViewStore {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (!isRedisOutage(error)) throw error;
        throw new AppError("unavailable", "the Redis view store cannot be reached; retry later", {
          cause: error,
        });
      }
    };
  const guarded = { ...store };
  for (const key of Object.keys(store) as Array<keyof ViewStore>) {
    const method = store[key] as (...args: unknown[]) => Promise<unknown>;
    (guarded as Record<string, unknown>)[key] = guard(method);
  }
  return guarded;
}
