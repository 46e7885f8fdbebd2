import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchConfig } from "../config.ts";
import type { LoadResult } from "../load/loadJob.ts";
import type { LoadGenerator } from "../load/runLoad.ts";
import { type CellSummary, rotate, summarize } from "../report/cellSummary.ts";
import type { BenchServices, Runtime } from "../servers/services.ts";
import { type ReadKind, readKinds, readPaths } from "./readPaths.ts";
import { type ReadRatios, readRatios } from "./readRatios.ts";
import {
  isLimit,
  type ReadTarget,
  type ReadTargetKind,
  startLimitTargets,
  startReadTargets,
} from "./readTargets.ts";
import { sameAnswers } from "./sameAnswers.ts";

export interface ReadCell extends CellSummary {
  query: ReadKind;
  target: string;
  kind: ReadTargetKind;
  runtime: Runtime;
  /** same JSON as the Node SQL reader for a sample of this query's requests (null: not checked) */
  sameAnswer: boolean | null;
  ratios: ReadRatios;
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

/** Representative bodies for the limit servers: the SQL reader's own answer per query. */
async function limitBodies(origin: string, paths: Record<ReadKind, string[]>) {
  const bodies: Record<string, string> = {};
  for (const kind of readKinds) bodies[kind] = await (await fetch(origin + paths[kind][0])).text();
  return bodies;
}

// both limits serve, per kind, the SQL reader's own answer to its first request
const pathsOf = (t: ReadTarget, kind: ReadKind, paths: Record<ReadKind, string[]>) =>
  t.kind === "limit" || t.kind === "redis-limit" ? [`/limit/${kind}`] : paths[kind];

/** Whether each non-limit target answers as `reference` does, per kind it is measured on. */
async function compareAnswers(
  reference: ReadTarget,
  targets: ReadTarget[],
  paths: Record<ReadKind, string[]>,
): Promise<Map<string, boolean>> {
  const same = new Map<string, boolean>();
  for (const t of targets) {
    if (isLimit(t) || t === reference) continue;
    for (const kind of readKinds) {
      same.set(
        `${t.name}/${kind}`,
        await sameAnswers(reference.origin, t.origin, paths[kind].slice(0, 5)),
      );
    }
  }
  return same;
}

/**
 * Reads: every query kind on every target, `rounds` interleaved rounds,
 * the target order rotated each round, fixed concurrency and duration per cell.
 */
export async function readBench(i: ReadInputs): Promise<ReadCell[]> {
  const targets = await startReadTargets(i);
  const reference = targets[0];
  if (!reference) throw new Error("no reader started");
  const paths = await readPaths(reference.origin, i.config.products, i.config.listingLimit);
  const bodiesPath = join(i.dataDir, "limit-bodies.json");
  writeFileSync(bodiesPath, JSON.stringify(await limitBodies(reference.origin, paths)));
  const runtimes = new Set(targets.map((t) => t.runtime));
  targets.push(...(await startLimitTargets(i, runtimes, bodiesPath)));
  i.log(`reads: ${targets.length} targets up: ${targets.map((t) => t.name).join(", ")}`);
  const same = await compareAnswers(reference, targets, paths);

  // A process fresh from start runs its first second or so unoptimized (a
  // cached Node reader measured 7,000 req/s in its first 350 ms cell and
  // 40,000 in its third): every target gets one unmeasured cell per kind first.
  for (const kind of readKinds) {
    for (const t of targets) {
      await i.load.run({
        origin: t.origin,
        paths: pathsOf(t, kind, paths),
        method: "GET",
        concurrency: i.config.readConcurrency,
        durationMs: i.config.warmupMs,
        warmupMs: i.config.warmupMs,
      });
    }
  }
  i.log("reads: every target warmed up");

  const results = new Map<string, LoadResult[]>();
  for (let round = 0; round < i.config.rounds; round++) {
    for (const kind of readKinds) {
      for (const t of rotate(targets, round + readKinds.indexOf(kind))) {
        const result = await i.load.run({
          origin: t.origin,
          paths: pathsOf(t, kind, paths),
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
  const cells = readKinds.flatMap((query) =>
    targets.map((t) => ({
      query,
      target: t.name,
      kind: t.kind,
      runtime: t.runtime,
      sameAnswer: t === reference ? true : (same.get(`${t.name}/${query}`) ?? null),
      ...summarize(results.get(`${t.name}/${query}`) ?? []),
    })),
  );
  return cells.map((c) => ({ ...c, ratios: readRatios(c, cells) }));
}
