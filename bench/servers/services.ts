import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { findFreePort } from "../../local/redis/freePort.ts";
import { processGroup, waitForHttp } from "../../local/stack/processGroup.ts";

export type Runtime = "node" | "bun";

const root = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
const secret = () => randomBytes(18).toString("base64url");

/** Throwaway credentials for one run; nothing listens beyond 127.0.0.1. */
export const benchSecrets = {
  admin: secret(),
  reader: secret(),
  consistency: secret(),
  signingCurrent: secret(),
  signingNext: secret(),
  redisRest: secret(),
};

/**
 * Every server of a run in its own process group (so a stop reaches what it
 * spawns, such as redis-server), logs under `<dataDir>/logs`. `stopAll` is
 * what the run's `finally` calls.
 */
export function benchServices(dataDir: string) {
  const group = processGroup({ logDir: join(dataDir, "logs"), echo: false });
  const entry = (runtime: Runtime, file: string) =>
    runtime === "bun"
      ? { command: bin("bun"), args: [file] }
      : { command: process.execPath, args: ["--import", "tsx", file] };

  const start = async (
    name: string,
    runtime: Runtime,
    file: string,
    env: Record<string, string>,
    ready = "/healthz",
  ): Promise<string> => {
    const port = await findFreePort("127.0.0.1");
    const url = `http://127.0.0.1:${port}`;
    group.start({ name, ...entry(runtime, file), env: { ...env, PORT: String(port) } });
    await waitForHttp(`${url}${ready}`, 60_000);
    return url;
  };

  return {
    start,
    stop: (name: string) => group.stop(name),
    stopAll: () => group.stopAll(),
    /** the local Upstash REST server with its own redis-server */
    async upstash(): Promise<{ url: string; token: string }> {
      const token = benchSecrets.redisRest;
      const url = await start(
        "upstash-redis",
        "node",
        "local/upstash-redis/main.ts",
        { UPSTASH_REDIS_REST_TOKEN: token, HOST: "127.0.0.1" },
        `/ping?_token=${token}`,
      );
      return { url, token };
    },
    /** an edge reader with its read cache off, so every read reaches the store */
    reader(
      name: string,
      runtime: Runtime,
      store: { viewDbPath: string } | { redis: { url: string; token: string } },
    ): Promise<string> {
      return start(name, runtime, `edge-reader/runtimes/${runtime}.ts`, {
        REGION: name,
        WRITE_API_URL: "http://127.0.0.1:9",
        READER_TOKEN: benchSecrets.reader,
        CONSISTENCY_SECRET: benchSecrets.consistency,
        QSTASH_CURRENT_SIGNING_KEY: benchSecrets.signingCurrent,
        QSTASH_NEXT_SIGNING_KEY: benchSecrets.signingNext,
        RECONCILE_INTERVAL_MS: "86400000",
        READ_CACHE_ENTRIES: "0",
        ...("redis" in store
          ? {
              STORE: "redis",
              UPSTASH_REDIS_REST_URL: store.redis.url,
              UPSTASH_REDIS_REST_TOKEN: store.redis.token,
            }
          : { STORE: "sqlite", VIEW_DB_URL: `file:${store.viewDbPath}` }),
      });
    },
  };
}

export type BenchServices = ReturnType<typeof benchServices>;
