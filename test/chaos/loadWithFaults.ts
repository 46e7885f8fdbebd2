import { createPrng } from "../../local/qstash/delivery/prng.ts";
import type { LaunchedStack } from "../../local/stack/launchStack.ts";
import { waitForHttp } from "../../local/stack/processGroup.ts";
import type { Accepted } from "./convergence.ts";
import { categoryIdsBySlug, type LoadProduct } from "./loadCatalog.ts";

/** QStash's fault options, as its `/local/faults` endpoint takes them. */
export interface QStashFaults {
  duplicate: number;
  reorder: number;
  drop: number;
  delay: number;
  delayMs: number;
  seed: number;
}

export interface LoadOptions {
  launched: LaunchedStack;
  products: readonly LoadProduct[];
  durationMs: number;
  /** services to kill -9 during the run, one after the other, each restarted after `downMs` */
  victims: readonly string[];
  downMs: number;
  qstashFaults: QStashFaults;
  /** target rates, per second, across all workers */
  writesPerSecond: number;
  readsPerSecond: number;
  seed: number;
  log?: (line: string) => void;
}

export interface LoadReport {
  durationMs: number;
  writes: number;
  reads: number;
  /** requests answered 2xx */
  served: number;
  /** failures by kind: `write 503`, `read eu-workerd 500`, `read us-bun network`, … */
  errors: Record<string, number>;
  accepted: Accepted[];
  /** read-your-writes reads (with the write's token) that showed the product older than the write */
  staleTokenReads: number;
  tokenReads: number;
  maxLagEvents: number;
  kills: number;
  qstashFaultHits: { dropped: number; duplicated: number; reordered: number; delayed: number };
}

type QStashStats = LoadReport["qstashFaultHits"];

/**
 * The QStash faults the chaos suite and the soak load with: a fifth of the
 * deliveries duplicated, reordered or delayed, a tenth dropped.
 *
 * @example
 * runLoadWithFaults({ …, qstashFaults: standardQStashFaults(7) });
 */
export const standardQStashFaults = (seed: number) => ({
  duplicate: 0.2,
  reorder: 0.2,
  drop: 0.1,
  delay: 0.2,
  delayMs: 1_500,
  seed,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorts = ["price_asc", "price_desc", "name", "newest"] as const;
const words = ["alpine", "trail", "jacket", "tent", "knife", "camera", "classic", "pack"];

/**
 * Mixed writes and reads across every reader at steady target rates while
 * faults are on: QStash duplicates, reorders, delays and drops pushes, and
 * each victim is killed with SIGKILL and restarted in turn. Measures, never
 * asserts: the caller proves convergence afterwards and decides what fails.
 * Writes are stock adjustments (+1, never refused), price changes and
 * category renames, so every refusal is a fault, not the load's own mistake.
 *
 * @example
 * const report = await runLoadWithFaults({ launched, products, durationMs: 30_000, victims: ["us-bun"], … });
 */
export async function runLoadWithFaults(o: LoadOptions): Promise<LoadReport> {
  const { stack, secrets, plan, group } = o.launched;
  const random = createPrng(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const report: LoadReport = {
    durationMs: 0,
    writes: 0,
    reads: 0,
    served: 0,
    errors: {},
    accepted: [],
    staleTokenReads: 0,
    tokenReads: 0,
    maxLagEvents: 0,
    kills: 0,
    qstashFaultHits: { dropped: 0, duplicated: 0, reordered: 0, delayed: 0 },
  };
  const fail = (kind: string) => {
    report.errors[kind] = (report.errors[kind] ?? 0) + 1;
  };
  const qstash = (path: string, body?: unknown) =>
    fetch(`${stack.qstash.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${secrets.qstashToken}`,
        "content-type": "application/json",
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const faultStats = async (): Promise<QStashStats> =>
    (await (await qstash("/local/stats")).json()) as QStashStats;
  const categories = [...new Set(o.products.map((p) => p.categorySlug))];
  const categoryIds = await categoryIdsBySlug(stack);

  const started = Date.now();
  const until = started + o.durationMs;
  const statsBefore = await faultStats();
  const faultsOn = await qstash("/local/faults", o.qstashFaults);
  if (!faultsOn.ok) throw new Error(`QStash refused the faults: ${await faultsOn.text()}`);

  const command = async (body: Record<string, unknown>, product?: LoadProduct) => {
    report.writes++;
    try {
      const res = await fetch(`${stack.writeApi.url}/v1/commands`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${stack.tokens.admin}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const json = (await res.json()) as { version?: number; results?: { id: string }[] };
      if (!res.ok || json.version === undefined) return fail(`write ${res.status}`);
      report.served++;
      const aggregateId = String(body.id ?? json.results?.[0]?.id);
      report.accepted.push({
        aggregateId,
        version: json.version,
        ...(product ? { productSlug: product.slug } : {}),
      });
      const token = res.headers.get("x-consistency-token");
      if (product && token && random() < 0.3) await tokenRead(product, json.version, token);
    } catch {
      fail("write network");
    }
  };

  // A read carrying the write's token must show the write, from a replica or the primary.
  const tokenRead = async (product: LoadProduct, version: number, token: string) => {
    const reader = pick(stack.readers);
    report.reads++;
    report.tokenReads++;
    try {
      const res = await fetch(`${reader.url}/v1/products/${encodeURIComponent(product.slug)}`, {
        headers: { "x-consistency-token": token },
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) return fail(`token read ${reader.region} ${res.status}`);
      report.served++;
      const body = (await res.json()) as { product: { version: number } };
      if (body.product.version < version) report.staleTokenReads++;
    } catch {
      fail(`token read ${reader.region} network`);
    }
  };

  const write = () => {
    const product = pick(o.products);
    const roll = random();
    if (roll < 0.8)
      return command({ type: "product.adjustStock", id: product.id, delta: 1 }, product);
    if (roll < 0.95) {
      const amount = 500 + Math.floor(random() * 50_000);
      const price = { amount, currency: product.currency };
      return command({ type: "product.changePrice", id: product.id, price }, product);
    }
    const id = categoryIds.get(pick(categories));
    if (!id) return command({ type: "product.adjustStock", id: product.id, delta: 1 }, product);
    return command({ type: "category.rename", id, name: `Renamed ${Math.floor(random() * 1e6)}` });
  };

  const read = async () => {
    const reader = pick(stack.readers);
    const roll = random();
    const path =
      roll < 0.4
        ? `/v1/products/${encodeURIComponent(pick(o.products).slug)}`
        : roll < 0.65
          ? `/v1/categories/${pick(categories)}/products?sort=${pick(sorts)}&limit=20${random() < 0.5 ? "&inStock=1" : ""}`
          : roll < 0.8
            ? `/v1/search?q=${pick(words)}&limit=10`
            : roll < 0.9
              ? `/v1/categories/${pick(categories)}/stats`
              : "/v1/categories";
    report.reads++;
    try {
      const res = await fetch(`${reader.url}${path}`, { signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.ok) report.served++;
      else fail(`read ${reader.region} ${res.status}`);
    } catch {
      fail(`read ${reader.region} network`);
    }
  };

  // Closed loops paced to the target rate: a slow answer delays the next request, never piles up.
  const paced = async (perSecond: number, workers: number, task: () => Promise<void>) => {
    const interval = (1_000 * workers) / Math.max(perSecond, 0.001);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (Date.now() < until) {
          const t0 = Date.now();
          await task();
          await sleep(Math.max(0, interval - (Date.now() - t0)));
        }
      }),
    );
  };

  const sampleLag = async () => {
    while (Date.now() < until) {
      const head = await statusField(`${stack.writeApi.url}/v1/status`, "head");
      if (head !== null) {
        for (const r of stack.readers) {
          const w = await statusField(`${r.url}/v1/status`, "watermark");
          if (w !== null) report.maxLagEvents = Math.max(report.maxLagEvents, head - w);
        }
      }
      await sleep(500);
    }
  };

  const crashes = async () => {
    for (const [i, victim] of o.victims.entries()) {
      const at = started + ((i + 1) * o.durationMs) / (o.victims.length + 1);
      await sleep(Math.max(0, at - Date.now()));
      const spec = plan.services.find((s) => s.name === victim);
      if (!spec) throw new Error(`no service ${victim} in the plan`);
      o.log?.(`kill -9 ${victim}`);
      group.kill(victim);
      report.kills++;
      await sleep(o.downMs);
      group.start(spec);
      const reader = stack.readers.find((r) => r.region === victim);
      if (reader) await waitForHttp(`${reader.url}/healthz`, 120_000);
      o.log?.(`${victim} restarted`);
    }
  };

  try {
    await Promise.all([
      paced(o.writesPerSecond, 2, write),
      paced(o.readsPerSecond, 4, read),
      sampleLag(),
      crashes(),
    ]);
  } finally {
    await qstash("/local/faults", { duplicate: 0, reorder: 0, drop: 0, delay: 0 });
  }
  const statsAfter = await faultStats();
  for (const k of ["dropped", "duplicated", "reordered", "delayed"] as const) {
    report.qstashFaultHits[k] = statsAfter[k] - statsBefore[k];
  }
  report.durationMs = Date.now() - started;
  return report;
}

async function statusField(url: string, field: string): Promise<number | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return null;
    const value = ((await res.json()) as Record<string, unknown>)[field];
    return typeof value === "number" ? value : null;
  } catch {
    return null;
  }
}
