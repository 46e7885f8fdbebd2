import type { LoadResult } from "../load/loadJob.ts";
import { median } from "../load/stats.ts";

/** One cell over all rounds: medians of the per-round numbers. */
export interface CellSummary {
  rounds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError: string | null;
}

export function summarize(results: LoadResult[]): CellSummary {
  return {
    rounds: results.length,
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
  };
}

/** Interleaves: round r runs the targets rotated by r, so no target always goes first. */
export const rotate = <T>(list: readonly T[], by: number): T[] =>
  list.map((_, i) => list[(i + by) % list.length] as T);
