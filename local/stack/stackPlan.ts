import { join } from "node:path";
import { d1BindingName } from "../../edge-reader/config.ts";
import { envReader } from "../../shared/config/envReader.ts";
import type { DevSecrets } from "./devSecrets.ts";
import type { ServiceSpec } from "./processGroup.ts";
import { runtimeCommand, type WriteApiRuntime, writeApiRuntimes } from "./runtimeCommand.ts";

export interface StackPorts {
  writeApi: number;
  qstash: number;
  redis: number;
  redisRest: number;
  /** the first reader's port; the others follow */
  readers: number;
}

export interface ReaderPlan {
  region: string;
  runtime: "workerd" | "bun" | "deno" | "node";
  store: "redis" | "sqlite" | "d1";
  url: string;
}

export interface StackPlan {
  services: ServiceSpec[];
  readers: ReaderPlan[];
  urls: { writeApi: string; qstash: string; redisRest: string };
}

const host = "127.0.0.1";
const tsEntry = (entry: string) => runtimeCommand("node", entry);

/** `WRITE_API_RUNTIME`, read as the write API reads its own settings. */
const writeApiRuntimeOf = (env: NodeJS.ProcessEnv | undefined): WriteApiRuntime => {
  const e = envReader(env ?? {});
  const runtime = e.oneOf("WRITE_API_RUNTIME", writeApiRuntimes, "node");
  e.done();
  return runtime;
};

/**
 * What `npm start` runs, in start order: redis-server, the Upstash-REST server
 * in front of it, the local QStash server, the write API, and four regions:
 * a Worker on workerd with the Redis store, Bun and Deno with embedded libSQL,
 * and a Worker on workerd with its views in D1 (workerd's own, persisted
 * under the data dir).
 * Pure: the launcher and the end-to-end tests run the same plan.
 */
export function stackPlan(options: {
  dataDir: string;
  ports: StackPorts;
  secrets: DevSecrets;
  env?: NodeJS.ProcessEnv;
}): StackPlan {
  const { dataDir, ports, secrets } = options;
  const writeApiRuntime = writeApiRuntimeOf(options.env);
  const url = (port: number) => `http://${host}:${port}`;
  const urls = {
    writeApi: url(ports.writeApi),
    qstash: url(ports.qstash),
    redisRest: url(ports.redisRest),
  };
  const readers: ReaderPlan[] = [
    { region: "eu-workerd", runtime: "workerd", store: "redis", url: url(ports.readers) },
    { region: "us-bun", runtime: "bun", store: "sqlite", url: url(ports.readers + 1) },
    { region: "ap-deno", runtime: "deno", store: "sqlite", url: url(ports.readers + 2) },
    { region: "sa-d1", runtime: "workerd", store: "d1", url: url(ports.readers + 3) },
  ];
  const readerEnv = (r: ReaderPlan, port: number): Record<string, string> => ({
    REGION: r.region,
    PORT: String(port),
    HOSTNAME: host,
    PUBLIC_URL: r.url,
    WRITE_API_URL: urls.writeApi,
    READER_TOKEN: secrets.readerToken,
    // the local stack has one operator: `cqrs rebuild <region>` uses the admin token
    READER_ADMIN_TOKEN: secrets.adminToken,
    CONSISTENCY_SECRET: secrets.consistencySecret,
    QSTASH_CURRENT_SIGNING_KEY: secrets.qstashCurrentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: secrets.qstashNextSigningKey,
    STORE: r.store,
    VIEW_DB_URL: `file:${join(dataDir, `reader-${r.region}.db`)}`,
    UPSTASH_REDIS_REST_URL: urls.redisRest,
    UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
    RECONCILE_INTERVAL_MS: options.env?.RECONCILE_INTERVAL_MS ?? "5000",
    VIEW_BUILD_IDLE_MS: options.env?.VIEW_BUILD_IDLE_MS ?? "5000",
    // a local stack is small: compare with the primary each minute, heal at most every 10
    SELF_HEAL_CHECK_MS: options.env?.SELF_HEAL_CHECK_MS ?? "60000",
    SELF_HEAL_MIN_INTERVAL_MS: options.env?.SELF_HEAL_MIN_INTERVAL_MS ?? "600000",
  });
  const readerService = (r: ReaderPlan, i: number): ServiceSpec => {
    const env = readerEnv(r, ports.readers + i);
    if (r.runtime === "workerd") {
      // workerd through Miniflare's API, without wrangler dev's proxy in front (local/workerd)
      return {
        name: r.region,
        ...tsEntry("local/workerd/main.ts"),
        env: {
          WORKER_CONFIG: "wrangler.toml",
          WORKER_VARS: JSON.stringify(env),
          HOST: host,
          PORT: env.PORT,
          // Cloudflare fires the cron trigger each minute; locally, on the reconcile interval
          CRON_INTERVAL_MS: env.RECONCILE_INTERVAL_MS,
          // one D1 database per region, as wrangler.toml binds one per environment
          ...(r.store === "d1" && {
            WORKER_D1: JSON.stringify({ [d1BindingName]: `views-${r.region}` }),
            WORKER_D1_PERSIST: join(dataDir, `d1-${r.region}`),
          }),
        },
      };
    }
    return {
      name: r.region,
      ...runtimeCommand(r.runtime, `edge-reader/runtimes/${r.runtime}.ts`),
      env,
    };
  };

  const services: ServiceSpec[] = [
    {
      name: "redis-server",
      command: options.env?.REDIS_SERVER_BIN ?? "redis-server",
      args: [
        "--port",
        String(ports.redis),
        "--bind",
        host,
        "--dir",
        dataDir,
        "--appendonly",
        "yes",
        "--save",
        "",
      ],
    },
    {
      name: "upstash-redis",
      ...tsEntry("local/upstash-redis/main.ts"),
      env: {
        PORT: String(ports.redisRest),
        HOST: host,
        REDIS_URL: `redis://${host}:${ports.redis}`,
        UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
      },
    },
    {
      name: "qstash",
      ...tsEntry("local/qstash/main.ts"),
      env: {
        PORT: String(ports.qstash),
        HOST: host,
        QSTASH_TOKEN: secrets.qstashToken,
        QSTASH_CURRENT_SIGNING_KEY: secrets.qstashCurrentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: secrets.qstashNextSigningKey,
        QSTASH_RETRY_BASE_MS: options.env?.QSTASH_RETRY_BASE_MS ?? "200",
        ...(options.env?.QSTASH_RETRY_MAX_MS && {
          QSTASH_RETRY_MAX_MS: options.env.QSTASH_RETRY_MAX_MS,
        }),
      },
    },
    {
      name: "write-api",
      ...runtimeCommand(writeApiRuntime, `write-api/runtimes/${writeApiRuntime}.ts`),
      env: {
        PORT: String(ports.writeApi),
        HOSTNAME: host,
        DATABASE_URL: options.env?.DATABASE_URL ?? `file:${join(dataDir, "primary.db")}`,
        ADMIN_TOKEN: secrets.adminToken,
        READER_TOKEN: secrets.readerToken,
        CONSISTENCY_SECRET: secrets.consistencySecret,
        QSTASH_URL: urls.qstash,
        QSTASH_TOKEN: secrets.qstashToken,
        QSTASH_URL_GROUP: "edge-readers",
        READER_INGEST_URLS: readers.map((r) => `${r.url}/v1/ingest`).join(","),
        ...(options.env?.DASHBOARD_HISTORY_SAMPLE_MS && {
          DASHBOARD_HISTORY_SAMPLE_MS: options.env.DASHBOARD_HISTORY_SAMPLE_MS,
        }),
      },
    },
    ...readers.map(readerService),
  ];
  return { services, readers, urls };
}
