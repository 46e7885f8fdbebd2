import { digestRecords } from "../digest/index.ts";
import type { StoredEvent } from "../events/types.ts";
import { planBatch, projectBatchSync, type ViewRecord } from "../projection/index.ts";
import { MemoryRecords } from "../views/stores/memory/memoryRecords.ts";

/**
 * The views as the definition says they are: the log folded one event at a
 * time from seq 0 through the shared projection, no batching, no store.
 *
 * @example
 * const { records, digest } = await referenceFold(history);
 */
export async function referenceFold(
  events: readonly StoredEvent[],
): Promise<{ records: ViewRecord[]; watermark: number; digest: string }> {
  const recs = new MemoryRecords();
  let watermark = 0;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const plan = planBatch(watermark, [e]);
    if (plan.status !== "apply") continue;
    recs.apply(projectBatchSync(plan.events, (needs) => recs.load(needs)));
    watermark = plan.watermark;
  }
  const records = recs.records();
  return { records, watermark, digest: await digestRecords(records) };
}
