import { AppError } from "../../errors/index.ts";
import type { ViewStore } from "../viewStore.ts";

const rebuilding = (namespace: string, layout: number, current: number) =>
  new AppError(
    "unavailable",
    "the views are being rebuilt for a new storage layout; retry shortly",
    { details: { namespace, layout, current } },
  );

/**
 * The reads of a namespace written by another storage layout than this
 * code's: this code cannot read it, so every read answers 503 until the new
 * generation, built from the log beside it, switches in. The store adds its
 * own `apply` and `watermark`, which only keep the watermark moving, so the
 * apply protocol (gaps, duplicates), the primary's commands and the switch's
 * "caught up" check work as for any live namespace.
 *
 * @example
 * const frozen = { ...frozenReads("g1…", 1, 2), apply, watermark };
 */
export function frozenReads(
  namespace: string,
  layout: number,
  current: number,
): Omit<ViewStore, "apply" | "watermark"> {
  const refuse = () => Promise.reject(rebuilding(namespace, layout, current));
  return {
    read: refuse,
    digest: refuse,
    close: () => Promise.resolve(),
  };
}
