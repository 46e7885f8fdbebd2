import { Client } from "@upstash/qstash";

/** The few DLQ fields the CLI shows; the SDK's `DlqMessage` has them all. */
export interface DlqEntry {
  dlqId: string;
  messageId: string;
  url: string;
  urlGroup?: string;
  topicName?: string;
  responseStatus?: number;
  createdAt: number;
}

/** The part of the official Client's `dlq` the CLI uses, so tests can hand in a fake. */
export interface DlqApi {
  listMessages(
    options: { cursor?: string; count?: number } | { dlqIds: string[] },
  ): Promise<{ messages: DlqEntry[]; cursor?: string }>;
  retry(request: string[] | { all: true; count?: number; cursor?: string }): Promise<{
    responses: { messageId: string }[];
    cursor?: string;
  }>;
}

/**
 * The official `@upstash/qstash` Client's DLQ API on the stack's QStash (the
 * local stand-in or the real service). No SDK retries: a CLI should say
 * "unreachable" in one line and at once, not log five attempts with backoff.
 *
 * @example
 * const dlq = qstashDlq({ url: "http://127.0.0.1:8081", token });
 * await dlq.listMessages();
 */
export function qstashDlq(qstash: { url: string; token: string }): DlqApi {
  const client = new Client({
    baseUrl: qstash.url,
    token: qstash.token,
    devMode: false,
    retry: false,
  });
  return {
    listMessages: (options) =>
      client.dlq.listMessages("dlqIds" in options ? { dlqIds: options.dlqIds } : { ...options }),
    retry: (request) => client.dlq.retry(request),
  };
}

// QStash pages with a cursor; a bound keeps a misbehaving server from looping forever.
const maxPages = 1_000;

/**
 * Every entry of the dead-letter queue, newest first, following the cursor.
 *
 * @example
 * await listDlq(qstashDlq(stack.qstash)); // → [{ dlqId: "dlq_…", messageId: "msg_…", url: "…/v1/ingest", … }]
 */
export async function listDlq(dlq: DlqApi): Promise<DlqEntry[]> {
  const all: DlqEntry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await dlq.listMessages({ count: 100, ...(cursor ? { cursor } : {}) });
    all.push(...res.messages);
    cursor = res.cursor;
    if (!cursor || res.messages.length === 0) break;
  }
  return all;
}

export interface RedriveResult {
  /** dlqId → the new message's id */
  redriven: { dlqId: string; messageId: string }[];
  /** asked for but not in the queue */
  missing: string[];
}

/**
 * Delivers dead-lettered messages again: all of them, or the given ids. The
 * SDK's bulk retry silently skips unknown ids, so they are looked up first and
 * reported as missing.
 *
 * @example
 * await redriveDlq(dlq, { dlqIds: ["dlq_1"] }); // → { redriven: [{ dlqId: "dlq_1", messageId: "msg_9" }], missing: [] }
 */
export async function redriveDlq(
  dlq: DlqApi,
  selection: { all: true } | { dlqIds: string[] },
): Promise<RedriveResult> {
  if ("all" in selection) {
    const before = await listDlq(dlq);
    const responses: { messageId: string }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = await dlq.retry({ all: true, count: 100, ...(cursor ? { cursor } : {}) });
      responses.push(...res.responses);
      cursor = res.cursor;
      if (!cursor || res.responses.length === 0) break;
    }
    // QStash answers in queue order; pair them up for the report as far as they go.
    return {
      redriven: responses.map((r, i) => ({
        dlqId: before[i]?.dlqId ?? "?",
        messageId: r.messageId,
      })),
      missing: [],
    };
  }
  const { messages } = await dlq.listMessages({ dlqIds: selection.dlqIds });
  const present = selection.dlqIds.filter((id) => messages.some((m) => m.dlqId === id));
  const redriven: RedriveResult["redriven"] = [];
  for (const dlqId of present) {
    const { responses } = await dlq.retry([dlqId]);
    redriven.push({ dlqId, messageId: responses[0]?.messageId ?? "?" });
  }
  return { redriven, missing: selection.dlqIds.filter((id) => !present.includes(id)) };
}

/**
 * `cqrs dlq list` as text.
 *
 * @example
 * dlqLines([], Date.now()); // → ["the dead-letter queue is empty"]
 */
export function dlqLines(entries: DlqEntry[], now: number): string[] {
  if (entries.length === 0) return ["the dead-letter queue is empty"];
  const age = (ms: number) => `${Math.max(0, Math.round((now - ms) / 1_000))} s ago`;
  return [
    `${entries.length} dead-lettered message${entries.length === 1 ? "" : "s"}:`,
    ...entries.map((e) =>
      [
        e.dlqId,
        e.messageId,
        e.url,
        e.responseStatus === undefined ? "no response" : `HTTP ${e.responseStatus}`,
        `created ${new Date(e.createdAt).toISOString()} (${age(e.createdAt)})`,
      ].join("  "),
    ),
    "redrive with: npm run cqrs -- dlq redrive --all | <dlqId>…",
  ];
}

/**
 * `cqrs dlq redrive` as text.
 *
 * @example
 * redriveLines({ redriven: [{ dlqId: "dlq_1", messageId: "msg_9" }], missing: ["dlq_x"] });
 * // → ["redriven dlq_1 → msg_9", "✗ dlq_x is not in the dead-letter queue", "redriven 1, missing 1"]
 */
export function redriveLines(result: RedriveResult): string[] {
  return [
    ...result.redriven.map((r) => `redriven ${r.dlqId} → ${r.messageId}`),
    ...result.missing.map((id) => `✗ ${id} is not in the dead-letter queue`),
    `redriven ${result.redriven.length}, missing ${result.missing.length}`,
  ];
}
