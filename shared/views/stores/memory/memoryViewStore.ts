import { digestOfSum, digestRecords } from "../../../digest/index.ts";
import type { StoredEvent } from "../../../events/types.ts";
import { planBatch, projectBatchSync } from "../../../projection/index.ts";
import type { ApplyResult, ViewStore } from "../../viewStore.ts";
import { MemoryRecords } from "./memoryRecords.ts";

export interface MemoryViewStore extends ViewStore {
  /** the records as they stand, for comparisons in tests */
  readonly records: MemoryRecords;
}

/**
 * The reference ViewStore: the shared projection over plain maps, every read
 * its model's `memory` scan, serialized. It passes `testViewStore`, and the property test holds real stores
 * to its answers.
 *
 * @example
 * const store = createMemoryViewStore();
 * await store.apply(events); // → { status: "applied", watermark: 42, applied: 42 }
 */
export function createMemoryViewStore(): MemoryViewStore {
  const recs = new MemoryRecords();
  let watermark = 0;

  return {
    records: recs,
    async apply(events: readonly StoredEvent[]): Promise<ApplyResult> {
      const plan = planBatch(watermark, events);
      if (plan.status === "duplicate") return { status: "duplicate", watermark };
      if (plan.status === "gap") return { status: "gap", watermark, missing: plan.missing };
      recs.apply(projectBatchSync(plan.events, (needs) => recs.load(needs)));
      watermark = plan.watermark;
      return { status: "applied", watermark, applied: plan.events.length };
    },
    watermark: () => Promise.resolve(watermark),
    async read(model, plan) {
      const data = model.memory(recs, plan);
      return { watermark, body: data === null ? null : JSON.stringify(data) };
    },
    digest: async (options) => ({
      watermark,
      digest: await (options?.fresh ? digestRecords(recs.records()) : digestOfSum(recs.sum)),
    }),
    close: () => Promise.resolve(),
  };
}
