import type { Context, Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { QStashHttpError } from "../http/errors.ts";
import { matchesQuery, paginate, parseListQuery } from "../state/listQuery.ts";
import type { DlqEntry } from "../state/types.ts";
import { dlqView } from "../state/views.ts";

const filterable = (entry: DlqEntry) => ({
  id: entry.dlqId,
  messageId: entry.message.messageId,
  url: entry.message.url,
  topicName: entry.message.topicName,
  labels: entry.message.labels,
  responseStatus: entry.failure.status,
  callerIp: entry.message.callerIp,
  flowControlKey: entry.message.flowControlKey,
  time: entry.failedAt,
});

/** Newest first, filtered, one page of it. */
const select = (core: QStashCore, c: Context) => {
  const query = parseListQuery(new URL(c.req.url).searchParams, "dlq");
  const matching = core.dlq
    .all()
    .reverse()
    .filter((entry) => matchesQuery(query, filterable(entry)));
  return paginate(matching, query);
};

// Retrying may override the retry count, as QStash's DLQ retry docs allow.
const retriesOverride = (c: Context): number | undefined => {
  const value = c.req.header("upstash-retries");
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new QStashHttpError(400, `invalid Upstash-Retries: ${value}`);
  return Number(value);
};

/**
 * The dead-letter queue: list, get, delete (one or bulk) and retry (one via
 * `POST /v2/dlq/retry/{dlqId}`, bulk via `POST /v2/dlq/retry?…`). A retry
 * creates a new message with the same destination, body and headers and
 * removes the entry, as QStash does.
 *
 * @example
 * dlqRoutes(core)(app);
 */
export const dlqRoutes = (core: QStashCore) => (app: Hono) => {
  const retry = (entry: DlqEntry, retries: number | undefined) => {
    const message = core.publisher.republish(entry.message, retries);
    core.dlq.remove(entry.dlqId);
    return { messageId: message.messageId };
  };

  app.get("/v2/dlq", (c) => {
    const page = select(core, c);
    const messages = page.items.map(dlqView);
    return c.json(page.cursor === undefined ? { messages } : { messages, cursor: page.cursor });
  });

  app.post("/v2/dlq/retry", (c) => {
    const retries = retriesOverride(c);
    const page = select(core, c);
    const responses = page.items.map((entry) => retry(entry, retries));
    // Retried entries leave the queue, so the next page starts at the front again.
    return c.json(page.cursor === undefined ? { responses } : { responses, cursor: "0" });
  });

  app.post("/v2/dlq/retry/:dlqId", (c) => {
    const entry = core.dlq.get(c.req.param("dlqId"));
    if (!entry) throw new QStashHttpError(404, `dlq message ${c.req.param("dlqId")} not found`);
    return c.json(retry(entry, retriesOverride(c)));
  });

  app.get("/v2/dlq/:dlqId", (c) => {
    const entry = core.dlq.get(c.req.param("dlqId"));
    if (!entry) throw new QStashHttpError(404, `dlq message ${c.req.param("dlqId")} not found`);
    return c.json(dlqView(entry));
  });

  app.delete("/v2/dlq/:dlqId", (c) => {
    if (!core.dlq.remove(c.req.param("dlqId"))) {
      throw new QStashHttpError(404, `dlq message ${c.req.param("dlqId")} not found`);
    }
    return c.body(null, 200);
  });

  app.delete("/v2/dlq", (c) => {
    const page = select(core, c);
    for (const entry of page.items) core.dlq.remove(entry.dlqId);
    const deleted = page.items.length;
    return c.json(page.cursor === undefined ? { deleted } : { deleted, cursor: "0" });
  });
};
