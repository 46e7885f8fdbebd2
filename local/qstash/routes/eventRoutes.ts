import type { Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { matchesQuery, paginate, parseListQuery } from "../state/listQuery.ts";
import { logView } from "../state/views.ts";

// QStash's logs docs: IN_PROGRESS is "one of ACTIVE, RETRY or ERROR".
const expandStates = (states: string[] | undefined): string[] | undefined =>
  states?.flatMap((state) => (state === "IN_PROGRESS" ? ["ACTIVE", "RETRY", "ERROR"] : [state]));

/**
 * The message log, newest first: `GET /v2/events` (what SDK 2.12's `logs()`
 * and `events()` call) and `GET /v2/logs` (the path QStash's newer API
 * reference names), with the SDK's filters and cursor paging.
 *
 * @example
 * eventRoutes(core)(app);
 */
export const eventRoutes = (core: QStashCore) => (app: Hono) => {
  for (const path of ["/v2/events", "/v2/logs"]) {
    app.get(path, (c) => {
      const parsed = parseListQuery(new URL(c.req.url).searchParams, "logs");
      const query = { ...parsed, state: expandStates(parsed.state) };
      const matching = core.log.newestFirst().filter((entry) =>
        matchesQuery(query, {
          id: entry.messageId,
          messageId: entry.messageId,
          url: entry.url,
          topicName: entry.topicName,
          labels: entry.labels,
          state: entry.state,
          responseStatus: entry.responseStatus,
          callerIp: entry.callerIp,
          flowControlKey: entry.flowControlKey,
          time: entry.time,
        }),
      );
      const page = paginate(matching, query);
      const events = page.items.map(logView);
      return c.json(page.cursor === undefined ? { events } : { events, cursor: page.cursor });
    });
  }
};
