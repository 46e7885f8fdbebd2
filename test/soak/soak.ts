import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type LaunchedStack, launchStack } from "../../local/stack/launchStack.ts";
import {
  type ScenarioRecord,
  summarize,
  summaryTable,
  writeSummary,
} from "../chaos/chaosSummary.ts";
import { proveConvergence } from "../chaos/convergence.ts";
import { loadProducts } from "../chaos/loadCatalog.ts";
import { runLoadWithFaults, standardQStashFaults } from "../chaos/loadWithFaults.ts";
import { stackClient } from "../e2e/stackClient.ts";
import { freeStackPorts } from "../e2e/stackPorts.ts";

/**
 * `npm run soak [-- --minutes=N --round-seconds=S --seed=K]`: the chaos
 * suite's load-with-faults loop on a whole local stack (temp folder, free
 * ports) for N minutes (default 5), in rounds. Each round keeps mixed writes
 * and reads on every reader while QStash drops, duplicates, reorders and
 * delays pushes, kills -9 one reader (in turn) and redis-server and restarts
 * them, then proves convergence. Prints a table and the JSON summary (also in
 * .data/soak-summary.json); exits 1 on any lost command, divergent replica or
 * stale read-your-writes read, 2 if the stack would not start.
 */
const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    "round-seconds": { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
  },
});
const minutes = Number(values.minutes);
const roundSeconds = Number(values["round-seconds"]);
const seed = Number(values.seed);
if (!(minutes > 0) || !(roundSeconds >= 10) || !Number.isInteger(seed)) {
  console.error("usage: npm run soak -- [--minutes=5] [--round-seconds=60 (≥ 10)] [--seed=1]");
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), "edge-cqrs-soak-"));
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
let launched: LaunchedStack | undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await launched?.group.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
};
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));
// npm does not pass a SIGTERM on to its script: a new parent means we were left behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(143);
}, 500).unref();

try {
  log(`launching the stack in ${dataDir}…`);
  launched = await launchStack({
    dataDir,
    ports: await freeStackPorts(),
    echo: false,
    env: { RECONCILE_INTERVAL_MS: "1000", QSTASH_RETRY_BASE_MS: "100", QSTASH_RETRY_MAX_MS: "300" },
  });
} catch (e) {
  console.error(`the stack did not start: ${(e as Error).message}`);
  await stop(2);
}
if (!launched) process.exit(2);

const { stack } = launched;
const client = stackClient(stack);
await client.converged(120_000);
const created = await client.createdProducts();
const products = await loadProducts(
  stack,
  created.filter((p) => p.status === "active").map((p) => p.slug),
);
log(`stack up; ${products.length} active products under load`);

const readerRegions = stack.readers.map((r) => r.region);
const records: ScenarioRecord[] = [];
const started = Date.now();
const endAt = started + minutes * 60_000;
let stale = 0;
for (let round = 0; Date.now() < endAt - 5_000; round++) {
  const durationMs = Math.max(10_000, Math.min(roundSeconds * 1_000, endAt - Date.now()));
  const reader = readerRegions[round % readerRegions.length] ?? "us-bun";
  const name = `round ${round + 1}: ${Math.round(durationMs / 1_000)} s, kill -9 ${reader} + redis-server`;
  log(`${name}…`);
  const report = await runLoadWithFaults({
    launched,
    products,
    durationMs,
    victims: [reader, "redis-server"],
    downMs: 2_000,
    qstashFaults: standardQStashFaults(seed + round),
    writesPerSecond: 15,
    readsPerSecond: 40,
    seed: seed * 1_000 + round,
    log,
  });
  const proof = await proveConvergence({
    stack,
    dataDir,
    accepted: report.accepted,
    deadlineMs: 180_000,
  });
  const hits = report.qstashFaultHits;
  stale += report.staleTokenReads;
  const errors = { ...report.errors };
  if (report.staleTokenReads > 0) errors["stale token read"] = report.staleTokenReads;
  records.push({
    name,
    faults: report.kills + hits.dropped + hits.duplicated + hits.reordered + hits.delayed,
    accepted: report.accepted.length,
    lost: proof.lost.length,
    divergent: proof.divergent.length,
    requests: report.served,
    errors,
    maxLagEvents: report.maxLagEvents,
  });
  log(
    `converged at seq ${proof.head} after ${proof.waitedMs} ms: ${report.accepted.length} accepted, ${report.served} served, lost ${proof.lost.length}, divergent ${proof.divergent.join(", ") || 0}`,
  );
}

const summary = summarize("soak", records, null);
const path = writeSummary(join(".data", "soak-summary.json"), summary);
console.log(`\n${summaryTable(summary)}`);
console.log(`stale read-your-writes reads: ${stale}`);
console.log(JSON.stringify({ ...summary, hostileInputsTried: undefined, minutes, path }, null, 2));
await stop(summary.lost > 0 || summary.divergentReplicas > 0 || stale > 0 ? 1 : 0);
