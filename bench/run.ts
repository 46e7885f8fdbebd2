import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { benchConfig, runs } from "./config.ts";
import { generateCatalog } from "./data/generateCatalog.ts";
import { startLoadGenerator } from "./load/runLoad.ts";
import { readBench } from "./reads/readBench.ts";
import { readServiceNames } from "./reads/readTargets.ts";
import { type HistoryResult, historyBench } from "./rebuild/historyBench.ts";
import { rebuildBench } from "./rebuild/rebuildBench.ts";
import { machineInfo } from "./report/machine.ts";
import { type BenchReport, markdownReport } from "./report/markdownTable.ts";
import { benchServices } from "./servers/services.ts";
import { type StackBenchResult, stackBench } from "./stack/stackBench.ts";
import { writeBench } from "./writes/writeBench.ts";

// `npm run bench [-- --quick] [-- --no-bun] [-- --no-deno] [-- --no-workerd] [-- --keep] [-- --only=reads,propagation,…]`: see bench/README.md.
const args = process.argv.slice(2);
const config = benchConfig(args);
const dataDir = join(tmpdir(), `edge-cqrs-bench-${config.mode}`);
const primaryPath = join(dataDir, "primary.db");
const replicaPath = join(dataDir, "replica.db");
const started = performance.now();
const log = (line: string) =>
  console.error(`[bench ${((performance.now() - started) / 1_000).toFixed(0)}s] ${line}`);

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const services = benchServices(dataDir);
const load = startLoadGenerator();
let stopStack: (() => Promise<void>) | null = null;
const cleanUp = async () => {
  load.close();
  await services.stopAll();
  await stopStack?.();
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.once("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

try {
  const machine = machineInfo(dataDir);
  const classic = runs(config, "rebuild") || runs(config, "reads") || runs(config, "writes");
  let data: BenchReport["data"] = null;
  let rebuild: BenchReport["rebuild"] = [];
  let reads: BenchReport["reads"] = [];
  let writes: BenchReport["writes"] = [];
  let history: HistoryResult | null = null;
  if (runs(config, "history")) {
    // first: it flushes the Redis that the catalog's rebuild then fills for the readers
    history = await historyBench({
      config,
      cacheDir: resolve(import.meta.dirname, "../.data/bench"),
      dataDir,
      redis: await services.upstash(),
      log,
    });
  }
  if (classic) {
    log(`${config.mode} run: generating ${config.products} products`);
    data = await generateCatalog(primaryPath, config.products, config.seed);
    log(`generated ${data.events} events in ${data.seconds.toFixed(1)} s`);
  }
  if (runs(config, "rebuild") || runs(config, "reads")) {
    const redis = await services.upstash();
    rebuild = await rebuildBench({ primaryPath, replicaPath, redis, rounds: 1, log });
    if (runs(config, "reads")) {
      reads = await readBench({
        config,
        services,
        load,
        dataDir,
        primaryPath,
        replicaPath,
        redis,
        log,
      });
    }
  }
  for (const name of readServiceNames) {
    await services.stop(name);
  }
  if (runs(config, "writes")) {
    writes = await writeBench({ config, services, load, primaryPath, log });
  }
  let stack: StackBenchResult | null = null;
  if (runs(config, "propagation") || runs(config, "ryw") || runs(config, "stackreads")) {
    // the stack gets the cores to itself
    await services.stopAll();
    stack = await stackBench({
      config,
      sections: {
        propagation: runs(config, "propagation"),
        ryw: runs(config, "ryw"),
        reads: runs(config, "stackreads"),
      },
      load,
      log,
      track: (stop) => {
        stopStack = stop;
      },
    });
  }
  const report: BenchReport = {
    config,
    machine,
    data,
    history,
    rebuild,
    reads,
    writes,
    stack,
    seconds: (performance.now() - started) / 1_000,
  };
  const resultsDir = resolve(import.meta.dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(markdownReport(report));
} finally {
  await cleanUp();
  if (!args.includes("--keep")) rmSync(dataDir, { recursive: true, force: true });
}
