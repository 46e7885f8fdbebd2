import type { LoadResult } from "./loadJob.ts";
import { percentile } from "./stats.ts";

export interface ClosedLoopJob {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Runs `concurrency` closed loops of `attempt` (the next starts when the last
 * settled), discards the warm-up, and measures for `durationMs`: latencies of
 * attempts that resolved, a count (and the first message) of those that threw.
 *
 * @example
 * const result = await closedLoop({ concurrency: 16, warmupMs: 400, durationMs: 1_500 }, () => send());
 */
export async function closedLoop(
  job: ClosedLoopJob,
  attempt: () => Promise<void>,
  options: { yieldBetween?: boolean } = {},
): Promise<LoadResult> {
  let measuring = false;
  let stopped = false;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];

  const loop = async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await attempt();
        if (measuring) latencies.push(performance.now() - started);
      } catch (e) {
        if (measuring) {
          errors++;
          firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
      // A local-file libsql call resolves as a microtask: without yielding, the
      // loops would starve the timers that end the cell.
      if (options.yieldBetween) await new Promise((r) => setImmediate(r));
    }
  };

  const loops = Array.from({ length: job.concurrency }, loop);
  await new Promise((r) => setTimeout(r, job.warmupMs));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, job.durationMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1_000;
  stopped = true;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    firstError,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
