import type { ViewStore } from "./viewStore.ts";

/**
 * The store's digest, recomputed only when the watermark moved: a digest of
 * 100,000 products takes seconds, and dashboards poll `/v1/status`. The
 * watermark is read before the digest, so a write landing in between only
 * makes the next call recompute.
 *
 * @example
 * const status = digestByWatermark(store);
 * await status(); // → { watermark: 812, digest: "9f…" }
 */
export function digestByWatermark(
  store: ViewStore,
): () => Promise<{ watermark: number; digest: string }> {
  let last: { watermark: number; digest: Promise<string> } | null = null;
  return async () => {
    const watermark = await store.watermark();
    if (last?.watermark !== watermark) {
      const digest = store.digest();
      last = { watermark, digest };
      digest.catch(() => {
        if (last?.digest === digest) last = null;
      });
    }
    return { watermark, digest: await last.digest };
  };
}
