import type { BenchConfig } from "../config.ts";
import type { LoadResult } from "../load/loadJob.ts";
import type { LoadGenerator } from "../load/runLoad.ts";
import { type CellSummary, rotate, summarize } from "../report/cellSummary.ts";

/** One region's product pages as `npm start` serves them, with its default read cache. */
export interface StackReadCell extends CellSummary {
  region: string;
  runtime: string;
  store: string;
  /** req/s over the reference region's (the first Bun region) in the same run */
  ratio: number;
}

interface Region {
  region: string;
  runtime: string;
  store: string;
  url: string;
}

/**
 * The regions' read rates next to each other: what a user sees pointing a load
 * tool at the stack, where each region is hosted as `npm start` hosts it (the
 * Worker on workerd through local/workerd). Rounds are interleaved, the
 * region order rotating, so no region always follows the same neighbour.
 */
export async function stackReads(i: {
  config: BenchConfig;
  load: LoadGenerator;
  regions: readonly Region[];
  slugs: readonly string[];
}): Promise<StackReadCell[]> {
  const quick = i.config.mode === "quick";
  const perRegion = new Map<string, LoadResult[]>(i.regions.map((r) => [r.region, []]));
  for (let round = 0; round < i.config.rounds; round++) {
    for (const r of rotate(i.regions, round)) {
      const result = await i.load.run({
        origin: r.url,
        paths: i.slugs.map((slug) => `/v1/products/${slug}`),
        method: "GET",
        concurrency: i.config.readConcurrency,
        durationMs: quick ? 1_000 : 3_000,
        warmupMs: i.config.warmupMs,
      });
      perRegion.get(r.region)?.push(result);
    }
  }
  const cells = i.regions.map((r) => ({ ...r, ...summarize(perRegion.get(r.region) ?? []) }));
  const reference = cells.find((c) => c.runtime === "bun") ?? cells[0];
  return cells.map(({ url: _url, ...c }) => ({
    ...c,
    ratio: reference && reference.rps > 0 ? c.rps / reference.rps : Number.NaN,
  }));
}
