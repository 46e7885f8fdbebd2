import { describe, expect, it } from "vitest";
import { type DlqApi, type DlqEntry, dlqLines, listDlq, redriveDlq, redriveLines } from "./dlq.ts";

const entry = (n: number): DlqEntry => ({
  dlqId: `dlq_${n}`,
  messageId: `msg_${n}`,
  url: "http://r/v1/ingest",
  responseStatus: 503,
  createdAt: Date.parse("2026-11-25T10:00:00.000Z"),
});

/** A DLQ in memory that pages two at a time, like QStash with a cursor. */
function memoryDlq(entries: DlqEntry[]): DlqApi & { queue: DlqEntry[] } {
  const queue = [...entries];
  let next = 100;
  return {
    queue,
    async listMessages(options) {
      if ("dlqIds" in options)
        return { messages: queue.filter((e) => options.dlqIds.includes(e.dlqId)) };
      const from = Number(options.cursor ?? 0);
      const messages = queue.slice(from, from + 2);
      return from + 2 < queue.length ? { messages, cursor: String(from + 2) } : { messages };
    },
    async retry(request) {
      const picked = Array.isArray(request)
        ? queue.filter((e) => request.includes(e.dlqId))
        : queue.slice(0, 2);
      for (const e of picked) queue.splice(queue.indexOf(e), 1);
      const responses = picked.map(() => ({ messageId: `msg_${next++}` }));
      return queue.length > 0 && !Array.isArray(request)
        ? { responses, cursor: "0" }
        : { responses };
    },
  };
}

describe("the dead-letter queue", () => {
  it("lists every page", async () => {
    const dlq = memoryDlq([1, 2, 3, 4, 5].map(entry));
    expect((await listDlq(dlq)).map((e) => e.dlqId)).toEqual([
      "dlq_1",
      "dlq_2",
      "dlq_3",
      "dlq_4",
      "dlq_5",
    ]);
  });

  it("redrives all, page by page", async () => {
    const dlq = memoryDlq([1, 2, 3].map(entry));
    const result = await redriveDlq(dlq, { all: true });
    expect(result.redriven).toEqual([
      { dlqId: "dlq_1", messageId: "msg_100" },
      { dlqId: "dlq_2", messageId: "msg_101" },
      { dlqId: "dlq_3", messageId: "msg_102" },
    ]);
    expect(dlq.queue).toEqual([]);
  });

  it("redrives given ids and reports the ones not in the queue", async () => {
    const dlq = memoryDlq([1, 2].map(entry));
    const result = await redriveDlq(dlq, { dlqIds: ["dlq_2", "dlq_9"] });
    expect(result).toEqual({
      redriven: [{ dlqId: "dlq_2", messageId: "msg_100" }],
      missing: ["dlq_9"],
    });
    expect(redriveLines(result)).toEqual([
      "redriven dlq_2 → msg_100",
      "✗ dlq_9 is not in the dead-letter queue",
      "redriven 1, missing 1",
    ]);
  });

  it("formats the list", () => {
    const now = Date.parse("2026-11-25T10:01:00.000Z");
    expect(dlqLines([], now)).toEqual(["the dead-letter queue is empty"]);
    expect(dlqLines([entry(1)], now)).toEqual([
      "1 dead-lettered message:",
      "dlq_1  msg_1  http://r/v1/ingest  HTTP 503  created 2026-11-25T10:00:00.000Z (60 s ago)",
      "redrive with: npm run cqrs -- dlq redrive --all | <dlqId>…",
    ]);
  });
});
