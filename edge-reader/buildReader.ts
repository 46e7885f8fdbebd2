import { consistencyTokens } from "../shared/consistency/consistencyToken.ts";
import { httpEventSource } from "../shared/events/eventSource.ts";
import { createLogger } from "../shared/logging/logger.ts";
import { coalescedApplies } from "../shared/views/coalescedApplies.ts";
import { turnBatch } from "../shared/views/stores/turnBatch.ts";
import type { ViewStore } from "../shared/views/viewStore.ts";
import type { Reader } from "./app.ts";
import { readCache } from "./cache/readCache.ts";
import { createCatchUp } from "./catchUp/catchUp.ts";
import { newReaderState } from "./catchUp/readerState.ts";
import type { ReaderConfig } from "./config.ts";
import { fallbackBudget } from "./consistency/fallbackBudget.ts";
import { primaryReads } from "./consistency/primaryReads.ts";
import { watermarkSeeing } from "./consistency/seenWatermark.ts";
import { qstashVerifier } from "./ingest/qstashVerifier.ts";
import { createReaderMetrics, instrumentedStore } from "./metrics/readerMetrics.ts";
import { primaryDigest } from "./selfHeal/primaryDigest.ts";
import { createSelfHeal } from "./selfHeal/selfHeal.ts";

/**
 * Wires a reader from its config and an opened store; the runtime entries
 * differ only in how they open the store and serve the app.
 */
export function buildReader(
  config: ReaderConfig,
  opened: ViewStore,
  runtime: string,
  generations?: Reader["generations"],
): Reader {
  const metrics = createReaderMetrics();
  const state = newReaderState();
  // pushes and catch-up pulls that arrive while an apply runs go together as the next one
  const store = watermarkSeeing(coalescedApplies(instrumentedStore(opened, metrics)), state);
  const source = httpEventSource({ url: config.writeApiUrl, readerToken: config.readerToken });
  // every line says which reader wrote it
  const log = createLogger({ level: config.logLevel }).child({
    region: config.region,
    runtime,
    store: config.store,
  });
  const selfHeal =
    generations && config.selfHealCheckMs > 0
      ? createSelfHeal({
          store,
          generations,
          primary: primaryDigest(config.writeApiUrl),
          checkIntervalMs: config.selfHealCheckMs,
          minIntervalMs: config.selfHealMinIntervalMs,
          metrics,
          log,
        })
      : undefined;
  return {
    identity: { region: config.region, runtime, store: config.store },
    selfHeal,
    store,
    generations,
    adminToken: config.adminToken,
    state,
    catchUp: createCatchUp({ store, source, state, pageSize: config.catchUpPageSize, log }),
    log,
    verifyPush: qstashVerifier(config.signingKeys, `${config.publicUrl}/v1/ingest`),
    ingestBodyLimitBytes: config.ingestBodyLimitBytes,
    metrics,
    consistency: {
      tokens: consistencyTokens(config.consistencySecret),
      tokenTtlMs: config.consistencyTtlMs,
      waitBoundMs: config.waitBoundMs,
      maxStalenessMs: config.maxStalenessMs,
      budget: fallbackBudget(config.fallbackPerSecond, config.fallbackBurst),
      primary: primaryReads({ writeApiUrl: config.writeApiUrl, readerToken: config.readerToken }),
      cache:
        config.readCacheEntries > 0
          ? readCache(config.readCacheEntries, () => generations?.store.liveNamespace() ?? "")
          : undefined,
      cacheMaxAgeMs: config.readCacheMaxAgeMs,
      ...((runtime === "node" || runtime === "deno") && { hitsTogether: turnBatch() }),
      headersForm: runtime === "node" ? "object" : "Headers",
    },
  };
}
