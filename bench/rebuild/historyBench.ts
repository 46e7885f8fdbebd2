import { rmSync } from "node:fs";
import { join } from "node:path";
import type { BenchConfig } from "../config.ts";
import { type GeneratedHistory, generateHistory } from "../data/generateHistory.ts";
import { type RebuildCell, rebuildBench } from "./rebuildBench.ts";

export interface HistoryResult {
  data: GeneratedHistory;
  rebuild: RebuildCell[];
}

/**
 * The rebuild of a long history (1,000,000 events; quick: 100,000): the
 * catalog and its follow-up commands, generated once into `cacheDir`, rebuilt
 * into a fresh SQL file and into Redis. It flushes the Redis it is given, so
 * it runs before the catalog's rebuild fills that Redis for the readers.
 */
export async function historyBench(i: {
  config: BenchConfig;
  cacheDir: string;
  dataDir: string;
  redis: { url: string; token: string };
  log: (line: string) => void;
}): Promise<HistoryResult> {
  const { products, events } = i.config.history;
  const data = await generateHistory(i.cacheDir, products, events, i.config.seed, i.log);
  i.log(
    `history: ${data.events} events ${data.cached ? "from the cache" : `generated in ${data.seconds.toFixed(0)} s`} (${data.path})`,
  );
  const replicaPath = join(i.dataDir, "history-views.db");
  try {
    const rebuild = await rebuildBench({
      primaryPath: data.path,
      replicaPath,
      redis: i.redis,
      rounds: 1,
      log: i.log,
    });
    return { data, rebuild };
  } finally {
    for (const s of ["", "-wal", "-shm"]) rmSync(replicaPath + s, { force: true });
  }
}
