import type { StoredEvent } from "../events/types.ts";

/** What a store should do with a delivered batch, given its watermark. */
export type BatchPlan =
  | { status: "duplicate" }
  | { status: "gap"; missing: { from: number; to: number } }
  | { status: "apply"; events: StoredEvent[]; watermark: number };

/**
 * The apply protocol (DESIGN invariant 2), pure so every store reads the same
 * rules: sort, drop seqs already applied and repeated seqs, and apply only a
 * run that continues the watermark without a hole. A hole anywhere means
 * nothing is applied and `missing` names the first hole, so the reader pulls
 * it from the log and delivers again.
 *
 * @example
 * planBatch(3, [ev(5), ev(4), ev(4)]); // → { status: "apply", events: [ev(4), ev(5)], watermark: 5 }
 * planBatch(3, [ev(6)]);               // → { status: "gap", missing: { from: 4, to: 5 } }
 */
export function planBatch(watermark: number, events: readonly StoredEvent[]): BatchPlan {
  const fresh = events
    .filter((e) => e.seq > watermark)
    .sort((a, b) => a.seq - b.seq)
    .filter((e, i, all) => i === 0 || all[i - 1]?.seq !== e.seq);
  if (fresh.length === 0) return { status: "duplicate" };
  let expected = watermark + 1;
  for (const e of fresh) {
    if (e.seq !== expected) return { status: "gap", missing: { from: expected, to: e.seq - 1 } };
    expected++;
  }
  return { status: "apply", events: fresh, watermark: expected - 1 };
}
