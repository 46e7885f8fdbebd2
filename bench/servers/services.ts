import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { d1BindingName } from "../../edge-reader/config.ts";
import { findFreePort } from "../../local/redis/freePort.ts";
import { processGroup, waitForHttp } from "../../local/stack/processGroup.ts";
import { runtimeCommand } from "../../local/stack/runtimeCommand.ts";
import type { D1Views } from "../reads/d1Views.ts";

export type Runtime = "node" | "bun" | "deno" | "workerd";

const root = resolve(import.meta.dirname, "../..");
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

/** What a bench reader serves: a libSQL file, the Redis views over REST, or (the Worker only) D1. */
export type ReaderStore =
  | { viewDbPath: string }
  | { redis: { url: string; token: string } }
  | { d1: D1Views };

/** A reader's store settings; D1 goes to local/workerd as its binding, not as a var. */
function storeEnv(store: ReaderStore): Record<string, string> {
  if ("redis" in store) {
    return {
      STORE: "redis",
      UPSTASH_REDIS_REST_URL: store.redis.url,
      UPSTASH_REDIS_REST_TOKEN: store.redis.token,
    };
  }
  if ("d1" in store) {
    return {
      STORE: "d1",
      WORKER_D1: JSON.stringify({ [d1BindingName]: store.d1.databaseId }),
      WORKER_D1_PERSIST: store.d1.persistDir,
    };
  }
  return { STORE: "sqlite", VIEW_DB_URL: `file:${store.viewDbPath}` };
}

/**
 * Every server of a run in its own process group (so a stop reaches what it
 * spawns, such as redis-server), logs under `<dataDir>/logs`. `stopAll` is
 * what the run's `finally` calls.
 */
export function benchServices(dataDir: string) {
  const group = processGroup({ logDir: join(dataDir, "logs"), echo: false });
  // workerd: `file` is a wrangler config, served by local/workerd (one
  // workerd process; `wrangler dev` would put its dev proxy in front), env as the Worker's vars
  const spec = (runtime: Runtime, file: string, env: Record<string, string>) => {
    if (runtime === "workerd") {
      // the D1 settings are the host's (bindings), the rest the Worker's vars
      const { WORKER_D1, WORKER_D1_PERSIST, ...vars } = env;
      return {
        command: process.execPath,
        args: ["--import", "tsx", join(root, "local/workerd/main.ts")],
        env: {
          WORKER_CONFIG: file,
          WORKER_VARS: JSON.stringify(vars),
          PORT: env.PORT ?? "0",
          ...(WORKER_D1 && WORKER_D1_PERSIST && { WORKER_D1, WORKER_D1_PERSIST }),
        },
      };
    }
    // as the local stack starts them (the entry's path, like the binaries', from the repository's root)
    return { ...runtimeCommand(runtime, file), env };
  };

  const pids = new Map<string, number>();
  const start = async (
    name: string,
    runtime: Runtime,
    file: string,
    env: Record<string, string>,
    ready = "/healthz",
  ): Promise<string> => {
    const port = await findFreePort("127.0.0.1");
    const url = `http://127.0.0.1:${port}`;
    const child = group.start({ name, ...spec(runtime, file, { ...env, PORT: String(port) }) });
    if (child.pid !== undefined) pids.set(name, child.pid);
    await waitForHttp(`${url}${ready}`, runtime === "workerd" ? 120_000 : 60_000);
    return url;
  };

  let upstash: Promise<{ url: string; token: string }> | undefined;
  return {
    start,
    /** the process id of the server last started under `name` (for a Node server, the server itself) */
    pid: (name: string): number | undefined => pids.get(name),
    stop: (name: string) => group.stop(name),
    stopAll: () => group.stopAll(),
    /** the local Upstash REST server with its own redis-server, started once per run */
    upstash(): Promise<{ url: string; token: string }> {
      const token = benchSecrets.redisRest;
      upstash ??= start(
        "upstash-redis",
        "node",
        "local/upstash-redis/main.ts",
        { UPSTASH_REDIS_REST_TOKEN: token, HOST: "127.0.0.1" },
        `/ping?_token=${token}`,
      ).then((url) => ({ url, token }));
      return upstash;
    },
    /**
     * An edge reader with its read cache off, so every read reaches the store;
     * `cache: true` keeps the reader's default cache.
     */
    reader(
      name: string,
      runtime: Runtime,
      store: ReaderStore,
      options: { cache?: boolean } = {},
    ): Promise<string> {
      const file =
        runtime === "workerd" ? join(root, "wrangler.toml") : `edge-reader/runtimes/${runtime}.ts`;
      return start(name, runtime, file, {
        REGION: name,
        WRITE_API_URL: "http://127.0.0.1:9",
        READER_TOKEN: benchSecrets.reader,
        CONSISTENCY_SECRET: benchSecrets.consistency,
        QSTASH_CURRENT_SIGNING_KEY: benchSecrets.signingCurrent,
        QSTASH_NEXT_SIGNING_KEY: benchSecrets.signingNext,
        RECONCILE_INTERVAL_MS: "86400000",
        ...(options.cache ? {} : { READ_CACHE_ENTRIES: "0" }),
        ...storeEnv(store),
      });
    },
  };
}

export type BenchServices = ReturnType<typeof benchServices>;
