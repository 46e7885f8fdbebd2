import { writeApiRuntimes } from "../../local/stack/runtimeCommand.ts";
import type { BenchConfig } from "../config.ts";
import type { GeneratedCatalog } from "../data/generateCatalog.ts";
import type { ReadCell } from "../reads/readBench.ts";
import type { HistoryResult } from "../rebuild/historyBench.ts";
import type { RebuildCell } from "../rebuild/rebuildBench.ts";
import type { RywReads } from "../stack/rywBench.ts";
import type { StackBenchResult } from "../stack/stackBench.ts";
import type { WriteCell } from "../writes/writeBench.ts";
import type { MachineInfo } from "./machine.ts";

const num = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";
const ms = (n: number) => num(n, n < 10 ? 2 : 1);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => "---"))];

export interface BenchReport {
  config: BenchConfig;
  machine: MachineInfo;
  /** null when `--only` skipped the sections that need the generated catalog */
  data: GeneratedCatalog | null;
  /** the long history's rebuild; null when not run */
  history: HistoryResult | null;
  rebuild: RebuildCell[];
  reads: ReadCell[];
  writes: WriteCell[];
  /** null when `--only` skipped propagation and read-your-writes */
  stack: StackBenchResult | null;
  seconds: number;
}

/** What the "same JSON" column says: limits answer constants, compared by nothing but size. */
const sameJson = (c: ReadCell) => {
  if (c.kind === "limit") return "(size only)";
  if (c.kind === "redis-limit") return "(constant)";
  return c.sameAnswer ? "yes" : "NO";
};

function readTable(r: BenchReport): string[] {
  const lines = header([
    "query",
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "÷ limit (same runtime)",
    "÷ redis limit",
    "÷ baseline (same runtime, else Node)",
    "same JSON",
    "errors",
  ]);
  const ratio = (n: number | null) => (n === null ? "" : num(n, 2));
  for (const c of r.reads) {
    lines.push(
      row([
        c.query,
        c.target,
        num(c.rps),
        ms(c.p50),
        ms(c.p99),
        ratio(c.ratios.limit),
        ratio(c.ratios.redisLimit),
        ratio(c.ratios.baseline),
        sameJson(c),
        String(c.errors),
      ]),
    );
  }
  return lines;
}

const kib = (value: number | null) => (value === null ? "n/a" : num(value, 1));

function writeTable(r: BenchReport): string[] {
  const lines = header([
    "concurrency",
    "write API on",
    "req/s",
    "p50 ms",
    "p99 ms",
    "raw libSQL tx/s",
    "p50 ms",
    "p99 ms",
    "API ÷ raw",
    "API KiB/write",
    "raw KiB/write",
    "errors",
  ]);
  for (const concurrency of r.config.writeConcurrencies) {
    const raw = r.writes.find((w) => w.target === "raw-libsql" && w.concurrency === concurrency);
    if (!raw) continue;
    for (const runtime of writeApiRuntimes) {
      const api = r.writes.find(
        (w) => w.target === `write-api/${runtime}` && w.concurrency === concurrency,
      );
      if (!api) continue;
      lines.push(
        row([
          String(concurrency),
          runtime,
          num(api.rps),
          ms(api.p50),
          ms(api.p99),
          num(raw.rps),
          ms(raw.p50),
          ms(raw.p99),
          num(api.rps / raw.rps, 2),
          kib(api.kibPerWrite),
          kib(raw.kibPerWrite),
          String(api.errors + raw.errors),
        ]),
      );
    }
  }
  return lines;
}

/** `expected`: the primary's inline views' digest, when known, which every rebuild must equal */
function rebuildTable(cells: RebuildCell[], expected?: string): string[] {
  const lines = header([
    "target",
    "path",
    "events",
    "events/s",
    "bulk ÷ apply",
    "seconds",
    "peak RSS MiB",
    "digest",
  ]);
  const digests = new Set([...cells.map((c) => c.digest), ...(expected ? [expected] : [])]);
  const verdict = digests.size === 1 ? (expected ? "equal, = primary's" : "equal") : "DIFFERENT";
  for (const c of cells) {
    const apply = cells.find((a) => a.target === c.target && a.path === "apply");
    const ratio =
      c.path === "bulk" && apply && apply.eventsPerSecond > 0
        ? `${num(c.eventsPerSecond / apply.eventsPerSecond, 2)}×`
        : "";
    lines.push(
      row([
        c.target,
        c.path,
        num(c.events),
        num(c.eventsPerSecond),
        ratio,
        num(c.seconds, 1),
        num(c.peakRssMiB),
        `${c.digest.slice(0, 12)} (${verdict})`,
      ]),
    );
  }
  return lines;
}

function historySection(h: HistoryResult): string[] {
  const d = h.data;
  const made = `generated in ${num(d.seconds)} s (${num(d.commandsPerSecond)} commands/s)`;
  return [
    `**Rebuild of a long history** — ${num(d.events)} events: ${num(d.products)} products in 200 categories (${num(d.catalogEvents)} events), then ${num(d.followUpCommands)} follow-up commands (55% stock adjustments, 33% price changes, 10% product renames, 2% archives/publishes, a category rename every 5,000; two thirds on a fifth of the products), all through commitCommands with the inline views, 1,000 commands a transaction; ${made}${d.cached ? ", read from the cache" : ""}. Rebuilt from seq 0 into each store (pages of 1,000) by both paths: \`apply\`, 20,000 events a batch, and \`bulk\`, the log folded in memory and each record loaded once; the digests are compared with the primary's inline views' (${d.inlineDigest.slice(0, 12)}).`,
    "",
    ...rebuildTable(h.rebuild, d.inlineDigest),
    "",
  ];
}

function propagationTable(s: StackBenchResult): string[] {
  const lines = header([
    "target writes/s",
    "achieved writes/s",
    "write p50 ms",
    "write p99 ms",
    "region",
    "p50 ms",
    "p99 ms",
    "max ms",
    "seen",
    "not seen",
  ]);
  for (const c of s.propagation) {
    lines.push(
      row([
        num(c.targetRate),
        `${num(c.achievedRate)}${c.skipped ? ` (${num(c.skipped)} skipped)` : ""}${c.writeErrors ? ` (${num(c.writeErrors)} errors)` : ""}`,
        ms(c.writeP50),
        ms(c.writeP99),
        `${c.region} (${c.runtime}+${c.store})`,
        ms(c.p50),
        ms(c.p99),
        ms(c.max),
        num(c.seen),
        num(c.notSeen),
      ]),
    );
  }
  return lines;
}

/** What waking a process costs here, from the bare server measured before the stack started. */
const wakeupLine = (s: StackBenchResult): string => {
  if (s.wakeup.length === 0) return "";
  const each = s.wakeup.map((w) => `${num(w.cpuUsPerRequest)} µs at ${num(w.rate)} req/s`);
  return ` For scale, a bare node:http server on this machine, in a process of its own and driven open loop before the stack started, used ${each.join(" and ")} of CPU per request: what a hop costs when its process wakes from idle for it.`;
};

/**
 * One row per rate: each service's CPU per write and its share of one core
 * over the window, and the whole stack's.
 */
function stackCpuTable(s: StackBenchResult): string[] {
  const services = [...new Set(s.cpu.flatMap((c) => Object.keys(c.cpuMs)))];
  const lines = header(["target writes/s", "writes", ...services, "stack"]);
  const cell = (cpuMs: number, c: StackBenchResult["cpu"][number]) =>
    `${num(cpuMs / Math.max(1, c.writes), 2)} (${num((cpuMs / c.windowMs) * 100, 0)}%)`;
  for (const c of s.cpu) {
    const total = Object.values(c.cpuMs).reduce((a, b) => a + b, 0);
    lines.push(
      row([
        num(c.targetRate),
        num(c.writes),
        ...services.map((name) => cell(c.cpuMs[name] ?? 0, c)),
        cell(total, c),
      ]),
    );
  }
  return lines;
}

function rywTable(s: StackBenchResult): string[] {
  const lines = header([
    "writes/s behind",
    "region",
    "plain p50 ms",
    "own write p50 ms (÷ plain)",
    "other product, keyed p50 ms (÷ plain)",
    "other product, global p50 ms (÷ plain)",
    "by replica: own / keyed / global",
    "rounds",
    "errors",
  ]);
  const share = (x: number) => (Number.isFinite(x) ? `${num(x * 100, 0)}%` : "–");
  const cell = (r: RywReads) => `${ms(r.p50)} (${num(r.ratioP50, 2)})`;
  for (const c of s.ryw) {
    lines.push(
      row([
        num(c.backgroundRate),
        `${c.region} (${c.runtime}+${c.store})`,
        ms(c.plain.p50),
        cell(c.own),
        cell(c.otherKeyed),
        cell(c.otherGlobal),
        `${share(c.own.replicaShare)} / ${share(c.otherKeyed.replicaShare)} / ${share(c.otherGlobal.replicaShare)}`,
        num(c.samples),
        String(c.errors),
      ]),
    );
  }
  return lines;
}

function stackReadsTable(s: StackBenchResult): string[] {
  const lines = header(["region", "req/s", "p50 ms", "p99 ms", "÷ Bun region", "errors"]);
  for (const c of s.reads) {
    lines.push(
      row([
        `${c.region} (${c.runtime}+${c.store})`,
        num(c.rps),
        ms(c.p50),
        ms(c.p99),
        num(c.ratio, 2),
        String(c.errors),
      ]),
    );
  }
  return lines;
}

function stackSections(r: BenchReport): string[] {
  const s = r.stack;
  if (!s) return [];
  const out: string[] = [];
  if (s.reads.length > 0) {
    const c = r.config;
    out.push(
      `**Stack reads** — the product pages of the whole local stack's regions as \`npm start\` hosts them (the Worker on one workerd process through local/workerd, each reader with its default read cache), concurrency ${c.readConcurrency}, ${c.mode === "quick" ? "1,000" : "3,000"} ms per cell after ${c.warmupMs} ms warm-up, ${c.rounds} interleaved rounds, medians; "÷ Bun region" is a region's req/s over the Bun region's in the same run.`,
      "",
      ...stackReadsTable(s),
      "",
    );
  }
  if (s.propagation.length > 0) {
    out.push(
      `**Propagation** — the whole local stack (write API → local QStash → workerd+Redis, Bun+libSQL, Deno+libSQL), reconcile every 60 s so only pushes count; one product.adjustStock per request, open loop at a fixed rate for ${num(s.windowMs)} ms (at most 256 in flight; more are skipped and counted). Lag = the time on the first "reader applied" line in the region's log whose watermark reaches the write's version (each reader logs it once the apply has committed), minus the arrival of the write's 200, both on this machine's clock in whole ms; nothing polls the regions while the writes run. "Not seen" = not within ${num(s.deadlineMs)} ms.`,
      "",
      ...propagationTable(s),
      "",
    );
    if (s.cpu.length > 0) {
      out.push(
        `**Stack CPU** — during each propagation window, every service's CPU (user + system time of its whole process group, from /proc) per write answered, ms, and as a share of one core; \`bench\` is the bench process itself (the open-loop writer). ${r.machine.cores} cores in all.${wakeupLine(s)}`,
        "",
        ...stackCpuTable(s),
        "",
      );
    }
  }
  if (s.ryw.length > 0) {
    const c = s.ryw[0];
    const rates = [...new Set(s.ryw.map((r) => r.backgroundRate))].map((r) => num(r));
    out.push(
      `**Read-your-writes** — same stack, ${rates.join(" and ")} writes/s in the background; per region and round: a read of product B's page without a token (plain); a product.adjustStock on product A followed at once by a read of B's page carrying the write's X-Consistency-Token, which names only the scopes the write changed (other product, keyed), and a read of A's page with it (own write); then a second adjustStock on A followed at once by a read of B's page with \`?minVersion=\` of that write, which routes as a token asking the write's version of every read, as tokens did before they named scopes (other product, global). Only reads are timed. ${c ? num(c.samples) : "?"} rounds per region and rate.`,
      "",
      ...rywTable(s),
      "",
    );
  }
  return out;
}

/** The whole report as Markdown, ready to paste into the README. */
export function markdownReport(r: BenchReport): string {
  const m = r.machine;
  const c = r.config;
  return [
    `### Benchmarks (${c.mode} run${c.only.length ? `, only ${c.only.join(", ")}` : ""}, ${num(r.seconds)} s)`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, data on ${m.dataFilesystem}; Node ${m.node}, Bun ${m.bun}, ${m.deno.replace(/\s+/g, " ")}, ${m.workerd}, wrangler ${m.wrangler}.`,
    "",
    ...(r.data
      ? [
          `Data: ${num(r.data.products)} products in 200 categories, ${num(r.data.events)} events, written through commitCommands in batches of 1,000 in ${num(r.data.seconds, 1)} s (${num(r.data.commandsPerSecond)} commands/s).`,
          "",
        ]
      : []),
    ...(r.reads.length > 0
      ? [
          `**Reads** — concurrency ${c.readConcurrency}, ${c.cellMs} ms per cell after ${c.warmupMs} ms warm-up, ${c.rounds} interleaved rounds; medians over rounds (p99 = median of the per-round p99s). Listing: sort=price_asc, limit ${c.listingLimit}; catalog: sort=newest, limit ${c.listingLimit}; facet: color (8 values), limit ${c.listingLimit}. Readers run with READ_CACHE_ENTRIES=0, except the \`-cache\` ones (the default cache). "÷ redis limit": the Node Redis reader against one GET of a constant key through the same local Upstash REST hop, a turn's GETs pipelined as the reader pipelines its reads.`,
          "",
          ...readTable(r),
          "",
        ]
      : []),
    ...(r.writes.length > 0
      ? [
          `**Writes** — one product.create per request, WAL + synchronous FULL, the write API on each runtime with its own copy of the primary (its local file on the libsql binding) against the same inserts through @libsql/client, ${c.cellMs} ms per cell, ${c.rounds} interleaved rounds. KiB/write: what the process wrote to storage (Linux's write_bytes less cancelled_write_bytes: pages dirtied, such as WAL frames and checkpoint copies, less those deleted before they were written) over every write of a cell, warm-up included, the write API's inline views among it (its cells end once they hold every commit); medians over rounds.`,
          "",
          ...writeTable(r),
          "",
        ]
      : []),
    ...(r.rebuild.length > 0
      ? [
          "**Rebuild** — the catalog above from seq 0, the primary's log read from its file in pages of 1,000, by both paths: `apply`, 20,000 events a batch, and `bulk`, the log folded in memory and each record loaded once.",
          "",
          ...rebuildTable(r.rebuild),
          "",
        ]
      : []),
    ...(r.history ? historySection(r.history) : []),
    ...stackSections(r),
  ].join("\n");
}
