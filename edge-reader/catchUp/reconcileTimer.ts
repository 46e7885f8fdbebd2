import type { CatchUp } from "./catchUp.ts";

/**
 * The reconcile of Node, Bun and Deno (Workers use a cron trigger): pulls
 * whatever pushes never brought, at a fixed interval and once at start.
 * A failed round is reported and retried at the next tick.
 */
export function startReconcileTimer(
  catchUp: CatchUp,
  intervalMs: number,
  report: (error: unknown) => void = (e) =>
    console.error(JSON.stringify({ msg: "reconcile failed", error: String(e) })),
): { stop(): void } {
  const tick = () => void catchUp.run().catch(report);
  tick();
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}
