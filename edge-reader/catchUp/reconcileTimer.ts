/**
 * The reconcile of Node, Bun and Deno (Workers use a cron trigger): runs
 * `reconcile` (see `reconcileOnce`) at a fixed interval and once at start.
 * A failed round is reported and retried at the next tick.
 */
export function startReconcileTimer(
  reconcile: () => Promise<unknown>,
  intervalMs: number,
  report: (error: unknown) => void = (e) =>
    console.error(JSON.stringify({ msg: "reconcile failed", error: String(e) })),
): { stop(): void } {
  const tick = () => void reconcile().catch(report);
  tick();
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}
