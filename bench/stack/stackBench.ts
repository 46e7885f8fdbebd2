import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchStack } from "../../local/stack/launchStack.ts";
import { freeStackPorts } from "../../test/e2e/stackPorts.ts";
import type { BenchConfig } from "../config.ts";
import type { LoadGenerator } from "../load/runLoad.ts";
import { percentile } from "../load/stats.ts";
import { appliedLines, firstAppliedAt, logSize, readFrom } from "./appliedLog.ts";
import { groupCpuMs } from "./groupCpu.ts";
import { httpCall } from "./httpCall.ts";
import { type RywCell, rywBench } from "./rywBench.ts";
import { type StackReadCell, stackReads } from "./stackReads.ts";
import { type Ctx, openLoopWriter } from "./stackWrites.ts";
import { type WakeupCost, wakeupCost } from "./wakeupCost.ts";

/** Commit-to-visible lag of one region at one write rate (ms, from the write's 200). */
export interface PropagationCell {
  targetRate: number;
  region: string;
  runtime: string;
  store: string;
  /** writes answered 200 during the window, per second of window */
  achievedRate: number;
  writes: number;
  /** scheduled writes not sent because too many were in flight */
  skipped: number;
  writeErrors: number;
  /** what the first failed write said (its status and body, or the client's error) */
  firstWriteError: string | null;
  writeP50: number;
  writeP99: number;
  seen: number;
  /** writes this region did not show within the deadline */
  notSeen: number;
  p50: number;
  p99: number;
  max: number;
}

/** The CPU each part of the stack used during one propagation window (Linux: /proc). */
export interface StackCpuCell {
  targetRate: number;
  /** writes answered 200 in the window */
  writes: number;
  windowMs: number;
  /** CPU ms per service (its whole process group) in the window; `bench` is this process: the open-loop writer */
  cpuMs: Record<string, number>;
}

export interface StackBenchResult {
  propagation: PropagationCell[];
  /** empty where /proc is not there */
  cpu: StackCpuCell[];
  /** a bare server's CPU per request, sparse and dense, measured before the stack starts; empty without /proc */
  wakeup: WakeupCost[];
  ryw: RywCell[];
  reads: StackReadCell[];
  windowMs: number;
  deadlineMs: number;
  products: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

async function waitConverged(ctx: Ctx, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let line = "";
  while (Date.now() < until) {
    const head = Number(
      (
        JSON.parse((await httpCall(ctx.agent, `${ctx.stack.writeApi.url}/v1/status`)).body) as {
          head: number;
        }
      ).head,
    );
    const marks = await Promise.all(
      ctx.stack.readers.map(async (r) => {
        try {
          const res = await httpCall(ctx.agent, `${r.url}/v1/status`);
          return Number((JSON.parse(res.body) as { watermark: number }).watermark);
        } catch {
          return -1;
        }
      }),
    );
    line = `head ${head}, watermarks ${marks.join(" ")}`;
    if (marks.every((m) => m >= head)) return;
    await sleep(100);
  }
  throw new Error(`stack did not converge within ${deadlineMs} ms (${line})`);
}

/** CPU ms of each service and of this process between two readings; null without /proc. */
function cpuBetween(
  before: Map<string, number> | null,
  after: Map<string, number> | null,
  self: NodeJS.CpuUsage,
): Record<string, number> | null {
  if (!before || !after) return null;
  const out: Record<string, number> = {};
  for (const [name, ms] of after) out[name] = ms - (before.get(name) ?? 0);
  out.bench = (self.user + self.system) / 1_000;
  return out;
}

async function propagationAt(
  ctx: Ctx,
  groups: () => ReadonlyMap<string, number>,
  logOf: (region: string) => string,
  rate: number,
  windowMs: number,
  deadlineMs: number,
): Promise<{ cells: PropagationCell[]; cpu: StackCpuCell | null }> {
  // each region's log from here on: its "reader applied" lines say when each apply committed
  const offsets = ctx.stack.readers.map((r) => logSize(logOf(r.region)));
  const cpuBefore = groupCpuMs(groups());
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const writer = openLoopWriter(ctx, rate);
  await sleep(windowMs);
  const w = await writer.stop();
  const cpuMs = cpuBetween(cpuBefore, groupCpuMs(groups()), process.cpuUsage(selfBefore));
  const cpuWindowMs = performance.now() - started;
  // drain: until every region shows the last write, or the deadline after it
  await waitConverged(ctx, deadlineMs).catch(() => {});
  // a Worker's lines reach its log through the host process: let the last ones land
  await sleep(300);
  const lat = sorted(w.outcomes.map((o) => o.latency));
  const cpu = cpuMs && {
    targetRate: rate,
    writes: w.outcomes.length,
    windowMs: cpuWindowMs,
    cpuMs,
  };
  const cells = ctx.stack.readers.map((r, i): PropagationCell => {
    const applied = appliedLines(readFrom(logOf(r.region), offsets[i] ?? 0));
    const lags: number[] = [];
    let notSeen = 0;
    for (const o of w.outcomes) {
      const at = firstAppliedAt(applied, o.version);
      if (at === null || at - o.wallAt > deadlineMs) notSeen++;
      // both clocks are this machine's, in whole ms: an apply logged in the ms the 200 arrived is 0
      else lags.push(Math.max(0, at - o.wallAt));
    }
    const s = sorted(lags);
    return {
      targetRate: rate,
      region: r.region,
      runtime: r.runtime,
      store: r.store,
      achievedRate: w.outcomes.length / w.seconds,
      writes: w.outcomes.length,
      skipped: w.skipped,
      writeErrors: w.errors,
      firstWriteError: w.firstError,
      writeP50: percentile(lat, 50),
      writeP99: percentile(lat, 99),
      seen: lags.length,
      notSeen,
      p50: percentile(s, 50),
      p99: percentile(s, 99),
      max: s[s.length - 1] ?? Number.NaN,
    };
  });
  return { cells, cpu };
}

/**
 * Starts the whole local stack (redis, Upstash REST, QStash, write API, workerd/Bun/Deno readers)
 * on free ports in a temp dir, reconcile every 60 s so only pushes move the replicas, and measures
 * each region's read rate, propagation lag and read-your-writes latency. `track` receives the stopper so Ctrl-C reaches it.
 */
export async function stackBench(options: {
  config: BenchConfig;
  sections: { propagation: boolean; ryw: boolean; reads: boolean };
  load: LoadGenerator;
  log: (line: string) => void;
  track: (stop: (() => Promise<void>) | null) => void;
}): Promise<StackBenchResult> {
  const { config, log } = options;
  const quick = config.mode === "quick";
  const windowMs = quick ? 3_000 : 10_000;
  const deadlineMs = quick ? 5_000 : 10_000;
  // 1,250: offered past what the 2-core box sustains, so the achieved rate says its capacity
  const rates = quick ? [50, 200] : [50, 200, 1_000, 1_250];
  const products = 50;
  // on a quiet machine, before the stack starts: what a hop costs when writes are sparse
  const wakeup = options.sections.propagation
    ? ((await wakeupCost([50, 2_000], quick ? 1_500 : 3_000)) ?? [])
    : [];
  const dataDir = mkdtempSync(join(tmpdir(), "edge-cqrs-bench-stack-"));
  // An idle socket is dropped a second before the servers' own 5 s keep-alive timeout
  // would close it: reused at that moment, a write failed with ECONNRESET.
  const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
  log("stack: launching the local stack (redis, QStash, write API, workerd/Bun/Deno readers)");
  const launched = await launchStack({
    dataDir,
    ports: await freeStackPorts(),
    echo: false,
    seed: false,
    // info: the readers' "reader applied" lines are what propagation is measured by
    env: { RECONCILE_INTERVAL_MS: "60000", LOG_LEVEL: "info" },
  });
  options.track(() => launched.group.stopAll());
  try {
    const run = Date.now().toString(36);
    const slugs = Array.from({ length: products }, (_, i) => `bench-${run}-${i}`);
    const created = await httpCall(agent, `${launched.stack.writeApi.url}/v1/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${launched.stack.tokens.admin}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        commands: [
          { type: "category.create", slug: `bench-${run}`, name: "Bench" },
          ...slugs.map((slug, i) => ({
            type: "product.create",
            sku: `BENCH-${run}-${i}`,
            slug,
            name: `Bench product ${i}`,
            description: "Propagation bench",
            categorySlug: `bench-${run}`,
            price: { amount: 1_000 + i, currency: "EUR" },
            stock: 1_000,
            status: "active",
          })),
        ],
      }),
    });
    if (created.status !== 200) throw new Error(`seeding failed: HTTP ${created.status}`);
    const ids = (JSON.parse(created.body) as { results: { id: string }[] }).results
      .slice(1)
      .map((r) => r.id);
    const ctx: Ctx = {
      stack: launched.stack,
      agent,
      admin: launched.stack.tokens.admin,
      productIds: ids,
      slugs,
    };
    await waitConverged(ctx, 60_000);
    // warm every path once (workerd compiles lazily)
    for (const r of launched.stack.readers) {
      for (const slug of slugs.slice(0, 5)) await httpCall(agent, `${r.url}/v1/products/${slug}`);
    }
    // warm-up: the same open-loop load, unmeasured, so the first window does not pay JIT and connects
    const warm = openLoopWriter(ctx, 50);
    await sleep(quick ? 1_000 : 3_000);
    await warm.stop();
    await waitConverged(ctx, 30_000);
    let reads: StackReadCell[] = [];
    if (options.sections.reads) {
      log("stack: each region's product pages, as npm start serves them");
      reads = await stackReads({
        config,
        load: options.load,
        regions: launched.stack.readers,
        slugs,
      });
    }
    const propagation: PropagationCell[] = [];
    const cpu: StackCpuCell[] = [];
    if (options.sections.propagation) {
      for (const rate of rates) {
        log(`stack: propagation at ${rate} writes/s for ${windowMs} ms`);
        const at = await propagationAt(
          ctx,
          () => launched.group.groups(),
          (region) => join(dataDir, "logs", `${region}.log`),
          rate,
          windowMs,
          deadlineMs,
        );
        const { cells } = at;
        if (at.cpu) cpu.push(at.cpu);
        const failed = cells[0];
        if (failed?.writeErrors) {
          log(`stack: ${failed.writeErrors} writes failed, the first: ${failed.firstWriteError}`);
        }
        propagation.push(...cells);
        await waitConverged(ctx, 60_000).catch((e: unknown) => log(String(e)));
      }
    }
    const ryw: RywCell[] = [];
    if (options.sections.ryw) {
      const iterations = quick ? 40 : 150;
      for (const rate of [50, 200]) {
        log(
          `stack: read-your-writes, ${iterations} interleaved rounds with ${rate} writes/s behind`,
        );
        ryw.push(...(await rywBench(ctx, rate, iterations)));
        await waitConverged(ctx, 60_000).catch((e: unknown) => log(String(e)));
      }
    }
    return { propagation, cpu, wakeup, ryw, reads, windowMs, deadlineMs, products };
  } finally {
    agent.destroy();
    await launched.group.stopAll();
    options.track(null);
    // KEEP_STACK_DIR=1: its logs split a lag into hops (bench/README.md)
    if (process.env.KEEP_STACK_DIR) console.log(`stack: kept ${dataDir} (KEEP_STACK_DIR)`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}
