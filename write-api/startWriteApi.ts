import { Client } from "@upstash/qstash";
import type { Hono } from "hono";
import type { Env } from "../shared/config/envReader.ts";
import { consistencyTokens } from "../shared/consistency/consistencyToken.ts";
import { createLogger, type Logger } from "../shared/logging/logger.ts";
import { turnSink } from "../shared/logging/turnSink.ts";
import type { Metrics } from "../shared/metrics/metrics.ts";
import { startBackgroundBuild } from "../shared/views/generations/backgroundBuild.ts";
import { createWriteApi } from "./app.ts";
import { timeOrderedIds } from "./commands/ids.ts";
import { loadWriteApiConfig, type RelayConfig, type WriteApiConfig } from "./config.ts";
import { openPrimary, type Primary } from "./db/openPrimary.ts";
import { qstashPublisher } from "./relay/qstashPublisher.ts";
import { createRelay, type Relay } from "./relay/relay.ts";
import { syncUrlGroup } from "./relay/syncUrlGroup.ts";
import { nodeHashing } from "./runtimes/nodeHashing.ts";
import { openInlineViews } from "./views/inlineViews.ts";
import { dropViewsInPrimary } from "./views/legacyViews.ts";
import { openInlineViewsThread } from "./views/viewsThread.ts";
import { createWriteApiMetrics } from "./writeApiMetrics.ts";

export interface RunningWriteApi {
  app: Hono;
  config: WriteApiConfig;
  primary: Primary;
  relay: Relay | null;
  close(): Promise<void>;
}

const startRelay = async (
  config: RelayConfig,
  primary: Primary,
  metrics: Metrics,
  log: Logger,
): Promise<Relay> => {
  // devMode false: a stray QSTASH_DEV must not point us at the SDK's dev server.
  const client = new Client({
    baseUrl: config.qstashUrl,
    token: config.qstashToken,
    devMode: false,
  });
  const restoreGroup =
    config.ingestUrls.length > 0
      ? () => syncUrlGroup(client, config.urlGroup, config.ingestUrls)
      : undefined;
  await restoreGroup?.();
  return createRelay({
    log: primary.events,
    reads: primary.reads.reader,
    write: primary.write,
    publish: qstashPublisher(client, config.urlGroup, config.deliveryRetries, restoreGroup),
    limits: { maxEvents: config.maxEvents, maxBytes: config.maxBytes },
    backstopIntervalMs: config.backstopIntervalMs,
    maxInFlight: config.maxInFlight,
    logger: log,
    onBatch(outcome, events) {
      metrics.inc("cqrs_relay_batches_total", { outcome });
      if (outcome === "published") metrics.inc("cqrs_relay_events_total", {}, events);
    },
  });
};

/**
 * Builds the whole write API from env: the runtime entries (Node, Bun, Deno)
 * only add their own `serve`.
 */
export async function startWriteApi(env: Env): Promise<RunningWriteApi> {
  const config = loadWriteApiConfig(env);
  const metrics = createWriteApiMetrics();
  const primary = await openPrimary({
    ...config.database,
    onBusyRetry: () => metrics.inc("cqrs_busy_retries_total"),
  });
  // a line per command, written a turn at a time rather than a write each
  const sink = turnSink();
  const log = createLogger({ level: env.LOG_LEVEL, sink }).child({ app: "write-api" });
  const legacy = await dropViewsInPrimary(primary);
  if (legacy > 0) log.info("dropped the views kept in the primary's file", { tables: legacy });
  const viewOptions = {
    url: config.viewsUrl,
    followEveryMs: config.viewFollowMs,
    onError: (error: unknown) => log.error("inline views apply failed", { error: String(error) }),
  };
  const { url, authToken, busyTimeoutMs = 5_000 } = config.database;
  const views =
    config.viewsThread === "worker"
      ? await openInlineViewsThread({ ...viewOptions, primary: { url, authToken, busyTimeoutMs } })
      : await openInlineViews(primary.events, viewOptions);
  const relay = config.relay ? await startRelay(config.relay, primary, metrics, log) : null;
  // A new read model version builds beside the live views, in their own database (and thread).
  const builder = startBackgroundBuild(views.store, {
    idleMs: config.viewBuildIdleMs,
    onError: (error) => log.error("view build step failed", { error: String(error) }),
  });
  const shutDown = new AbortController();
  const app = createWriteApi({
    signal: shutDown.signal,
    primary,
    views,
    kickViewBuild: builder.kick,
    settings: config.settings,
    tokens: consistencyTokens(config.consistencySecret, nodeHashing),
    hashing: nodeHashing,
    ids: timeOrderedIds,
    metrics,
    log,
    onCommitted: relay ? () => relay.wake() : undefined,
    published: relay ? () => relay.published() : undefined,
  });
  // Whatever a previous run committed but did not publish goes out now.
  relay?.wake();

  return {
    app,
    config,
    primary,
    relay,
    async close() {
      shutDown.abort();
      builder.stop();
      await views.stop();
      await relay?.stop();
      primary.close();
      sink.flush();
    },
  };
}
