import { findOnPath, isExecutable } from "./findChromium.ts";

/**
 * The `redis-server` the stack and the tests launch: `REDIS_SERVER_BIN` when set (a path, or a
 * name looked up on PATH, as spawning it would), else `redis-server` on PATH. `undefined` when
 * there is none.
 *
 * @example
 * findRedisServer({ PATH: "/usr/bin" }); // "/usr/bin/redis-server" on Debian with redis-server installed
 */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pinned = env.REDIS_SERVER_BIN;
  if (!pinned) return findOnPath("redis-server", env);
  return pinned.includes("/")
    ? isExecutable(pinned)
      ? pinned
      : undefined
    : findOnPath(pinned, env);
}
