import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "../load/stats.ts";
import { rotate } from "../report/cellSummary.ts";
import type { RebuildJob } from "./rebuildChild.ts";

const child = fileURLToPath(new URL("./rebuildChild.ts", import.meta.url));

interface RebuildRun {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  digest: string;
  peakRssMiB: number;
}

export type RebuildPath = "bulk" | "apply";

export interface RebuildCell {
  target: "sql" | "redis";
  path: RebuildPath;
  rounds: number;
  events: number;
  eventsPerSecond: number;
  seconds: number;
  peakRssMiB: number;
  digest: string;
}

const runChild = (job: RebuildJob): Promise<RebuildRun> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", child, JSON.stringify(job)],
      // a million events into Redis on a busy machine takes minutes
      { timeout: 1_800_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`rebuild failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as RebuildRun);
      },
    );
  });

/**
 * Rebuild from seq 0: the primary's log (read from its file) into a fresh SQL
 * view file and into Redis (flushed first) through the local Upstash REST
 * server, each in its own process so its peak RSS is its own, by each path
 * side by side: batch by batch through \`apply\`, then the bulk load. SQL and
 * Redis alternate over the rounds; the last run (a bulk load) leaves the
 * stores the readers use.
 */
export async function rebuildBench(i: {
  primaryPath: string;
  replicaPath: string;
  redis: { url: string; token: string };
  rounds: number;
  log: (line: string) => void;
}): Promise<RebuildCell[]> {
  const runs = new Map<string, RebuildRun[]>();
  const cells = (["sql", "redis"] as const).flatMap((target) =>
    (["apply", "bulk"] as const).map((path) => ({ target, path })),
  );
  for (let round = 0; round < i.rounds; round++) {
    for (const path of ["apply", "bulk"] as const) {
      for (const target of rotate(["sql", "redis"] as const, round)) {
        if (target === "sql") {
          for (const s of ["", "-wal", "-shm"])
            if (existsSync(i.replicaPath + s)) rmSync(i.replicaPath + s);
        }
        const run = await runChild({
          primaryPath: i.primaryPath,
          target,
          path,
          viewDbPath: i.replicaPath,
          redis: i.redis,
        });
        const key = `${target} ${path}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        i.log(`rebuild ${key}: ${run.events} events in ${run.seconds.toFixed(1)} s`);
      }
    }
  }
  return cells.map(({ target, path }) => {
    const list = runs.get(`${target} ${path}`) ?? [];
    return {
      target,
      path,
      rounds: list.length,
      events: list[0]?.events ?? 0,
      eventsPerSecond: median(list.map((r) => r.eventsPerSecond)),
      seconds: median(list.map((r) => r.seconds)),
      peakRssMiB: Math.max(...list.map((r) => r.peakRssMiB)),
      digest: list[0]?.digest ?? "",
    };
  });
}
