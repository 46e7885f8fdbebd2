import { randomId } from "../ids.ts";
import type { DeliveryFailure, DlqEntry, StoredMessage } from "./types.ts";

/** Messages that ran out of retries, waiting to be retried or deleted. */
export interface DlqStore {
  add(message: StoredMessage, failure: DeliveryFailure, failedAt: number): DlqEntry;
  get(dlqId: string): DlqEntry | undefined;
  remove(dlqId: string): boolean;
  /** Oldest first. */
  all(): DlqEntry[];
}

/**
 * In-memory dead-letter queue. QStash keeps entries for a plan-dependent
 * retention; here they stay until deleted or retried.
 *
 * @example
 * const dlq = createDlqStore();
 */
export const createDlqStore = (): DlqStore => {
  const byId = new Map<string, DlqEntry>();
  return {
    add(message, failure, failedAt) {
      const entry: DlqEntry = {
        dlqId: randomId("dlq"),
        message: { ...message },
        failure,
        failedAt,
      };
      byId.set(entry.dlqId, entry);
      return entry;
    },
    get: (dlqId) => byId.get(dlqId),
    remove: (dlqId) => byId.delete(dlqId),
    all: () => [...byId.values()],
  };
};
