import type { Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { QStashHttpError } from "../http/errors.ts";
import { matchesQuery, parseListQuery } from "../state/listQuery.ts";
import type { StoredMessage } from "../state/types.ts";
import { messageView } from "../state/views.ts";

const filterable = (message: StoredMessage) => ({
  id: message.messageId,
  messageId: message.messageId,
  url: message.url,
  topicName: message.topicName,
  labels: message.labels,
  state: message.state,
  callerIp: message.callerIp,
  flowControlKey: message.flowControlKey,
  time: message.createdAt,
});

/**
 * `GET /v2/messages/{id}` and cancelling (`DELETE /v2/messages/{id}`, bulk
 * `DELETE /v2/messages?messageIds=…` or by filter, all pending when none),
 * as the SDK's `messages.get`/`cancel`/`delete` call them.
 *
 * @example
 * messageRoutes(core)(app);
 */
export const messageRoutes = (core: QStashCore) => (app: Hono) => {
  app.get("/v2/messages/:messageId", (c) => {
    const message = core.messages.get(c.req.param("messageId"));
    if (!message) throw new QStashHttpError(404, `message ${c.req.param("messageId")} not found`);
    return c.json(messageView(message));
  });

  app.delete("/v2/messages/:messageId", (c) => {
    const message = core.messages.get(c.req.param("messageId"));
    if (!message) throw new QStashHttpError(404, `message ${c.req.param("messageId")} not found`);
    return c.json({ cancelled: core.engine.cancel(message) ? 1 : 0 });
  });

  app.delete("/v2/messages", (c) => {
    const params = new URL(c.req.url).searchParams;
    const query = parseListQuery(params, "messages");
    // without `count`, every matching message; with it, at most that many
    const limit = params.has("count") ? query.count : Number.POSITIVE_INFINITY;
    let cancelled = 0;
    for (const message of core.messages.all()) {
      if (cancelled >= limit) break;
      if (core.messages.isTerminal(message) || !matchesQuery(query, filterable(message))) continue;
      if (core.engine.cancel(message)) cancelled++;
    }
    return c.json({ cancelled });
  });
};
