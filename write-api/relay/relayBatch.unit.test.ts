import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/events/types.ts";
import { deduplicationId, takeBatch } from "./relayBatch.ts";

const event = (seq: number, name = "x"): StoredEvent => ({
  seq,
  type: "category.renamed",
  aggregateId: "cat_1",
  data: { id: "cat_1", name },
  at: "2026-11-25T00:00:00.000Z",
});

describe("takeBatch", () => {
  const events = Array.from({ length: 10 }, (_, i) => event(i + 1));

  it("stops at the event count", () => {
    expect(takeBatch(events, { maxEvents: 3, maxBytes: 1 << 20 }).map((e) => e.seq)).toEqual([
      1, 2, 3,
    ]);
  });

  it("stops before the byte limit", () => {
    const one = JSON.stringify({ events: [events[0]] }).length;
    const batch = takeBatch(events, { maxEvents: 100, maxBytes: one * 3 });
    expect(batch.length).toBeGreaterThan(1);
    expect(JSON.stringify({ events: batch }).length).toBeLessThanOrEqual(one * 3);
  });

  it("still moves one event larger than the byte limit", () => {
    const big = [event(1, "y".repeat(5_000)), event(2)];
    expect(takeBatch(big, { maxEvents: 100, maxBytes: 1_000 }).map((e) => e.seq)).toEqual([1]);
  });

  it("names a message by its exact seq range, without ':' (QStash refuses it)", () => {
    expect(deduplicationId(events.slice(2, 5))).toBe("events-3-5");
  });
});
