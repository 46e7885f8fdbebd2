import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BenchConfig } from "../config.ts";
import type { LoadResult } from "../load/loadJob.ts";
import type { LoadGenerator } from "../load/runLoad.ts";
import { type CellSummary, rotate, summarize } from "../report/cellSummary.ts";
import type { BenchServices, Runtime } from "../servers/services.ts";
import { type ReadKind, readKinds, readPaths } from "./readPaths.ts";
import { sameAnswers } from "./sameAnswers.ts";

export type ReadTargetKind = "reader-sql" | "reader-redis" | "baseline" | "limit";

export interface ReadTarget {
  name: string;
  kind: ReadTargetKind;
  runtime: Runtime;
  origin: string;
}

export interface ReadCell extends CellSummary {
  query: ReadKind;
  target: string;
  kind: ReadTargetKind;
  runtime: Runtime;
  /** same JSON as the Node SQL reader for a sample of this query's requests (null: not checked) */
  sameAnswer: boolean | null;
}

export interface ReadInputs {
  config: BenchConfig;
  services: BenchServices;
  load: LoadGenerator;
  dataDir: string;
  primaryPath: string;
  replicaPath: string;
  redis: { url: string; token: string };
  log: (line: string) => void;
}

async function startTargets(i: ReadInputs): Promise<ReadTarget[]> {
  const runtimes: Runtime[] = i.config.bun ? ["node", "bun"] : ["node"];
  const targets: ReadTarget[] = [];
  for (const runtime of runtimes) {
    const name = `reader-sql-${runtime}`;
    targets.push({
      name,
      kind: "reader-sql",
      runtime,
      origin: await i.services.reader(name, runtime, { viewDbPath: i.replicaPath }),
    });
  }
  targets.push({
    name: "reader-redis-node",
    kind: "reader-redis",
    runtime: "node",
    origin: await i.services.reader("reader-redis-node", "node", { redis: i.redis }),
  });
  if (i.config.workerd) {
    // the Worker entry has only the Redis store (native libSQL does not run on workerd)
    targets.push({
      name: "reader-redis-workerd",
      kind: "reader-redis",
      runtime: "workerd",
      origin: await i.services.reader("reader-redis-workerd", "workerd", { redis: i.redis }),
    });
  }
  for (const runtime of runtimes) {
    const name = `baseline-${runtime}`;
    const file =
      runtime === "bun" ? "bench/servers/baselineServerBun.ts" : "bench/servers/baselineServer.ts";
    targets.push({
      name,
      kind: "baseline",
      runtime,
      origin: await i.services.start(name, runtime, file, { PRIMARY_PATH: i.primaryPath }),
    });
  }
  return targets;
}

/** Every read target's service name a run may start, for the run to stop them. */
export const readServiceNames = ["node", "bun", "workerd"].flatMap((r) => [
  `reader-sql-${r}`,
  `reader-redis-${r}`,
  `baseline-${r}`,
  `limit-${r}`,
]);

const limitServers: Record<Runtime, string> = {
  node: "bench/servers/limitServer.ts",
  bun: "bench/servers/limitServerBun.ts",
  workerd: resolve(import.meta.dirname, "../servers/limitWorker.toml"),
};

/** Representative bodies for the limit servers: the SQL reader's own answer per query. */
async function limitBodies(origin: string, paths: Record<ReadKind, string[]>) {
  const bodies: Record<string, string> = {};
  for (const kind of readKinds) bodies[kind] = await (await fetch(origin + paths[kind][0])).text();
  return bodies;
}

/**
 * Reads: every query kind on every target, `rounds` interleaved rounds, the
 * target order rotated each round, fixed concurrency and duration per cell.
 */
export async function readBench(i: ReadInputs): Promise<ReadCell[]> {
  const targets = await startTargets(i);
  const reference = targets[0];
  if (!reference) throw new Error("no reader started");
  const paths = await readPaths(reference.origin, i.config.products, i.config.listingLimit);
  const bodiesPath = join(i.dataDir, "limit-bodies.json");
  writeFileSync(bodiesPath, JSON.stringify(await limitBodies(reference.origin, paths)));
  for (const runtime of new Set(targets.map((t) => t.runtime))) {
    const name = `limit-${runtime}`;
    // a Worker reads no files: its bodies come in as a var
    const env: Record<string, string> =
      runtime === "workerd"
        ? { LIMIT_BODIES: readFileSync(bodiesPath, "utf8") }
        : { BODIES_PATH: bodiesPath };
    const origin = await i.services.start(name, runtime, limitServers[runtime], env);
    targets.push({ name, kind: "limit", runtime, origin });
  }

  const same = new Map<string, boolean>();
  for (const t of targets) {
    if (t.kind === "limit" || t === reference) continue;
    for (const kind of readKinds) {
      same.set(
        `${t.name}/${kind}`,
        await sameAnswers(reference.origin, t.origin, paths[kind].slice(0, 5)),
      );
    }
  }

  const results = new Map<string, LoadResult[]>();
  for (let round = 0; round < i.config.rounds; round++) {
    for (const kind of readKinds) {
      for (const t of rotate(targets, round + readKinds.indexOf(kind))) {
        const result = await i.load.run({
          origin: t.origin,
          paths: t.kind === "limit" ? [`/limit/${kind}`] : paths[kind],
          method: "GET",
          concurrency: i.config.readConcurrency,
          durationMs: i.config.cellMs,
          warmupMs: i.config.warmupMs,
        });
        const key = `${t.name}/${kind}`;
        results.set(key, [...(results.get(key) ?? []), result]);
      }
      i.log(`reads round ${round + 1}/${i.config.rounds}: ${kind} done`);
    }
  }
  return readKinds.flatMap((query) =>
    targets.map((t) => ({
      query,
      target: t.name,
      kind: t.kind,
      runtime: t.runtime,
      sameAnswer: t === reference ? true : (same.get(`${t.name}/${query}`) ?? null),
      ...summarize(results.get(`${t.name}/${query}`) ?? []),
    })),
  );
}
