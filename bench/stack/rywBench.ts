import { percentile } from "../load/stats.ts";
import { rotate } from "../report/cellSummary.ts";
import { headerOf, httpCall } from "./httpCall.ts";
import { adjustStock, type Ctx, openLoopWriter } from "./stackWrites.ts";

/** One kind of product read in the read-your-writes bench: latency and who served it. */
export interface RywReads {
  p50: number;
  p99: number;
  /** p50 ÷ the plain read's p50 */
  ratioP50: number;
  /** share answered X-Served-By: replica */
  replicaShare: number;
}

/** Plain vs token-carrying product reads of one region, with background writes. */
export interface RywCell {
  region: string;
  runtime: string;
  store: string;
  backgroundRate: number;
  samples: number;
  /** a product page without a token */
  plain: RywReads;
  /** the written product's page, carrying the write's token */
  own: RywReads;
  /** another product's page, carrying the write's keyed token: it names only what the write changed */
  otherKeyed: RywReads;
  /** the same read asking the write's version everywhere (`?minVersion=`), as an unkeyed token does */
  otherGlobal: RywReads;
  errors: number;
  firstError: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

type Kind = "plain" | "own" | "otherKeyed" | "otherGlobal";
const kinds: Kind[] = ["plain", "own", "otherKeyed", "otherGlobal"];

/**
 * Read-your-writes on the whole stack with `rate` writes/s in the background:
 * per region and round, a plain read of product B's page; a write to product
 * A followed at once by a read of B with the write's token (keyed: B is not
 * named, so a lagging replica serves it) and a read of A with it; then a
 * second write to A followed at once by a read of B with `?minVersion=` of
 * that write (routed as a token naming the version everywhere, which is what
 * tokens were before they named scopes). Region order rotates per round.
 */
export async function rywBench(ctx: Ctx, rate: number, iterations: number): Promise<RywCell[]> {
  const regions = ctx.stack.readers;
  const samples = regions.map(() => ({
    plain: [] as number[],
    own: [] as number[],
    otherKeyed: [] as number[],
    otherGlobal: [] as number[],
  }));
  const byReplica = regions.map(() => ({ plain: 0, own: 0, otherKeyed: 0, otherGlobal: 0 }));
  const errors = regions.map(() => 0);
  const firstError = regions.map((): string | null => null);
  const background = openLoopWriter(ctx, rate);
  const read = async (ri: number, kind: Kind, path: string, token?: string) => {
    const r = regions[ri];
    const started = performance.now();
    const res = await httpCall(ctx.agent, `${r?.url}${path}`, {
      headers: token ? { "x-consistency-token": token } : {},
    });
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${r?.region}`);
    samples[ri]?.[kind].push(ms);
    const served = byReplica[ri];
    if (served && headerOf(res, "x-served-by") === "replica") served[kind]++;
  };
  try {
    await sleep(300);
    for (let it = 0; it < iterations; it++) {
      for (const ri of rotate(
        regions.map((_, i) => i),
        it,
      )) {
        const k = it * regions.length + ri;
        const n = ctx.slugs.length;
        const own = ctx.slugs[k % n] ?? "";
        const other = ctx.slugs[(k + Math.floor(n / 2)) % n] ?? "";
        try {
          await read(ri, "plain", `/v1/products/${other}`);
          // each token read right after its own write, while the replica is most likely behind it
          const w = await adjustStock(ctx, k);
          await read(ri, "otherKeyed", `/v1/products/${other}`, w.token);
          await read(ri, "own", `/v1/products/${own}`, w.token);
          const again = await adjustStock(ctx, k);
          await read(ri, "otherGlobal", `/v1/products/${other}?minVersion=${again.version}`);
        } catch (e) {
          errors[ri] = (errors[ri] ?? 0) + 1;
          firstError[ri] ??= String(e);
        }
      }
    }
  } finally {
    await background.stop();
  }
  return regions.map((r, i) => {
    const plainP50 = percentile(sorted(samples[i]?.plain ?? []), 50);
    const summary = (kind: Kind): RywReads => {
      const xs = sorted(samples[i]?.[kind] ?? []);
      const p50 = percentile(xs, 50);
      return {
        p50,
        p99: percentile(xs, 99),
        ratioP50: p50 / plainP50,
        replicaShare: xs.length ? (byReplica[i]?.[kind] ?? 0) / xs.length : Number.NaN,
      };
    };
    const [plain, own, otherKeyed, otherGlobal] = kinds.map(summary) as [
      RywReads,
      RywReads,
      RywReads,
      RywReads,
    ];
    return {
      region: r.region,
      runtime: r.runtime,
      store: r.store,
      backgroundRate: rate,
      samples: samples[i]?.own.length ?? 0,
      plain,
      own,
      otherKeyed,
      otherGlobal,
      errors: errors[i] ?? 0,
      firstError: firstError[i] ?? null,
    };
  });
}
