import type { ViewStore } from "./viewStore.ts";

/**
 * The store's digest, recomputed only when the watermark moved: a digest of
 * 100,000 products takes seconds, and dashboards poll `/v1/status`. The
 * watermark is read before the digest, so a write landing in between only
 * makes the next call recompute. `fresh` recomputes anyway: a store changed
 * behind the watermark's back (corruption, a hand edit) shows only then.
 *
 * @example
 * const status = digestByWatermark(store);
 * await status(); // → { watermark: 812, digest: "9f…" }
 * await status(true); // recomputed now
 */
export function digestByWatermark(
  store: ViewStore,
  generation: () => string = () => "",
): (fresh?: boolean) => Promise<{ watermark: number; digest: string }> {
  let last: { watermark: number; generation: string; digest: Promise<string> } | null = null;
  return async (fresh = false) => {
    const watermark = await store.watermark();
    // A switch to a new view generation changes the digest at the same watermark.
    const current = generation();
    if (fresh || last?.watermark !== watermark || last.generation !== current) {
      const digest = store.digest();
      last = { watermark, generation: current, digest };
      digest.catch(() => {
        if (last?.digest === digest) last = null;
      });
    }
    return { watermark, digest: await last.digest };
  };
}
