import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BenchConfig } from "../config.ts";
import type { BenchServices, Runtime } from "../servers/services.ts";
import { fillD1Views } from "./d1Views.ts";

export type ReadTargetKind =
  | "reader-sql"
  | "reader-sql-cache"
  | "reader-redis"
  | "reader-d1"
  | "baseline"
  | "limit"
  | "redis-limit";

export interface ReadTarget {
  name: string;
  kind: ReadTargetKind;
  runtime: Runtime;
  origin: string;
}

/** Whether a target serves constant bodies (`/limit/<kind>`, `/limit`), not the read paths. */
export const isLimit = (t: { kind: ReadTargetKind }) =>
  t.kind === "limit" || t.kind === "redis-limit";

type ServerRuntime = Exclude<Runtime, "workerd">;

const runtimesOf = (config: BenchConfig): ServerRuntime[] => [
  "node",
  ...(config.bun ? (["bun"] as const) : []),
  ...(config.deno ? (["deno"] as const) : []),
];

const baselineServers: Record<ServerRuntime, string> = {
  node: "bench/servers/baselineServer.ts",
  bun: "bench/servers/baselineServerBun.ts",
  deno: "bench/servers/baselineServerDeno.ts",
};

const limitServers: Record<Runtime, string> = {
  node: "bench/servers/limitServer.ts",
  bun: "bench/servers/limitServerBun.ts",
  deno: "bench/servers/limitServerDeno.ts",
  workerd: resolve(import.meta.dirname, "../servers/limitWorker.toml"),
};

/** Every read target's service name a run may start, for the run to stop them. */
export const readServiceNames = [
  ...["node", "bun", "deno", "workerd"].flatMap((r) => [
    `reader-sql-${r}`,
    `reader-sql-${r}-cache`,
    `reader-redis-${r}`,
    `reader-d1-${r}`,
    `baseline-${r}`,
    `limit-${r}`,
  ]),
  "limit-redis-node",
];

export interface TargetInputs {
  config: BenchConfig;
  services: BenchServices;
  primaryPath: string;
  replicaPath: string;
  dataDir: string;
  redis: { url: string; token: string };
}

/**
 * The readers and baselines, the Node SQL reader first (the reference every
 * answer is compared with): SQL readers per runtime, Redis readers on Node
 * and workerd, the D1 reader on workerd, the baselines per runtime, then the
 * cache-on SQL readers.
 */
export async function startReadTargets(i: TargetInputs): Promise<ReadTarget[]> {
  const runtimes = runtimesOf(i.config);
  const targets: ReadTarget[] = [];
  const sql = { viewDbPath: i.replicaPath };
  for (const runtime of runtimes) {
    const name = `reader-sql-${runtime}`;
    const origin = await i.services.reader(name, runtime, sql);
    targets.push({ name, kind: "reader-sql", runtime, origin });
  }
  targets.push({
    name: "reader-redis-node",
    kind: "reader-redis",
    runtime: "node",
    origin: await i.services.reader("reader-redis-node", "node", { redis: i.redis }),
  });
  if (i.config.workerd) {
    // the Worker has the Redis and D1 stores (native libSQL does not run on workerd)
    targets.push({
      name: "reader-redis-workerd",
      kind: "reader-redis",
      runtime: "workerd",
      origin: await i.services.reader("reader-redis-workerd", "workerd", { redis: i.redis }),
    });
    // the same SQL views in workerd's D1, filled by a bulk rebuild before the Worker starts
    const d1 = await fillD1Views(i.primaryPath, i.dataDir);
    targets.push({
      name: "reader-d1-workerd",
      kind: "reader-d1",
      runtime: "workerd",
      origin: await i.services.reader("reader-d1-workerd", "workerd", { d1 }),
    });
  }
  for (const runtime of runtimes) {
    const name = `baseline-${runtime}`;
    const env = { PRIMARY_PATH: i.primaryPath };
    const origin = await i.services.start(name, runtime, baselineServers[runtime], env);
    targets.push({ name, kind: "baseline", runtime, origin });
  }
  for (const runtime of runtimes) {
    const name = `reader-sql-${runtime}-cache`;
    const origin = await i.services.reader(name, runtime, sql, { cache: true });
    targets.push({ name, kind: "reader-sql-cache", runtime, origin });
  }
  return targets;
}

/**
 * The limits: a constant-body Hono app per runtime in the run (each kind's
 * body at `/limit/<kind>`), and the Redis limit on Node (one GET of a
 * constant key through the local Upstash REST server, at `/limit`).
 */
export async function startLimitTargets(
  i: TargetInputs,
  runtimes: ReadonlySet<Runtime>,
  bodiesPath: string,
): Promise<ReadTarget[]> {
  const targets: ReadTarget[] = [];
  for (const runtime of runtimes) {
    const name = `limit-${runtime}`;
    // a Worker reads no files: its bodies come in as a var
    const env: Record<string, string> =
      runtime === "workerd"
        ? { LIMIT_BODIES: readFileSync(bodiesPath, "utf8") }
        : { BODIES_PATH: bodiesPath };
    const origin = await i.services.start(name, runtime, limitServers[runtime], env);
    targets.push({ name, kind: "limit", runtime, origin });
  }
  const origin = await i.services.start(
    "limit-redis-node",
    "node",
    "bench/servers/redisLimitServer.ts",
    {
      BODIES_PATH: bodiesPath,
      UPSTASH_REDIS_REST_URL: i.redis.url,
      UPSTASH_REDIS_REST_TOKEN: i.redis.token,
    },
  );
  targets.push({ name: "limit-redis-node", kind: "redis-limit", runtime: "node", origin });
  return targets;
}
