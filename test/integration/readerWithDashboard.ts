import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { consistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { createWriteApi } from "../../write-api/app.ts";
import { timeOrderedIds } from "../../write-api/commands/ids.ts";
import type { HistorySettings } from "../../write-api/dashboard/history/historySampler.ts";
import { testConsistencySecret, testSettings } from "../../write-api/testing/testWriteApi.ts";
import { type Harness, readerHarness } from "./readerHarness.ts";

/**
 * A real reader served over HTTP, and a second write API on its primary whose
 * dashboard fetches that reader's status (and, given `history`, samples it).
 *
 * @example
 * const t = await readerWithDashboard({ history: { sampleMs: 50, windowMs: 60_000 } });
 * await t.dashboard.request("http://localhost/dashboard/state", { headers });
 * await t.close();
 */
export async function readerWithDashboard(
  options: { reader?: Parameters<typeof readerHarness>[0]; history?: HistorySettings } = {},
): Promise<{
  h: Harness;
  dashboard: Hono;
  /** shuts the dashboard's write API down (its history sampler stops); the reader keeps serving */
  shutDownDashboard(): void;
  close(): Promise<void>;
}> {
  const h = await readerHarness(options.reader);
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as AddressInfo;
  const shutDown = new AbortController();
  const dashboard = createWriteApi({
    signal: shutDown.signal,
    primary: h.api.primary,
    views: h.api.views,
    settings: {
      ...testSettings,
      dashboard: {
        readerStatusUrls: [`http://127.0.0.1:${port}/v1/status`],
        timeoutMs: 5_000,
        refreshMs: 1_000,
        qstash: null,
        ...(options.history && { history: options.history }),
      },
    },
    tokens: consistencyTokens(testConsistencySecret),
    ids: timeOrderedIds,
    reportFault: () => {},
  });
  return {
    h,
    dashboard,
    shutDownDashboard: () => shutDown.abort(),
    async close() {
      shutDown.abort();
      await new Promise((r) => server.close(r));
      await h.close();
    },
  };
}
