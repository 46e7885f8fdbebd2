import { httpMetricNames } from "../../shared/metrics/httpMetrics.ts";
import { createMetrics, type Metrics } from "../../shared/metrics/metrics.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderState } from "../catchUp/readerState.ts";

/** Every series a reader exports on `/metrics`. */
export const createReaderMetrics = (): Metrics =>
  createMetrics({
    ...httpMetricNames,
    cqrs_apply_total: {
      type: "counter",
      help: "batches offered to the view store, by result (applied, duplicate, gap)",
    },
    cqrs_apply_seconds: { type: "histogram", help: "time to apply one batch to the view store" },
    cqrs_events_applied_total: { type: "counter", help: "events applied to the views" },
    cqrs_reads_total: {
      type: "counter",
      help: "storefront reads, by who served them (replica, primary)",
    },
    cqrs_primary_fallbacks_total: {
      type: "counter",
      help: "reads handed to the primary, by reason (behind, stale)",
    },
    cqrs_fallbacks_refused_total: {
      type: "counter",
      help: "reads answered 503 because the primary-read budget was spent",
    },
    cqrs_digest_checks_total: {
      type: "counter",
      help: "self-heal comparisons with the primary's digest, by verdict (agree, not-comparable, heal, held)",
    },
    cqrs_self_heals_total: {
      type: "counter",
      help: "rebuilds begun because the views differed from the primary's at the same watermark",
    },
    cqrs_read_cache_total: {
      type: "counter",
      help: "replica read cache lookups, by result (hit, miss)",
    },
  });

/**
 * Times and counts every apply, pushed or pulled, by wrapping the store: the
 * ingest route and the catch-up need not know about metrics.
 */
export function instrumentedStore(store: ViewStore, metrics: Metrics): ViewStore {
  // Delegate method by method: a store may be a class instance whose methods a spread would miss.
  return {
    watermark: () => store.watermark(),
    read: (model, plan) => store.read(model, plan),
    digest: (options) => store.digest(options),
    close: () => store.close(),
    async apply(events) {
      const started = performance.now();
      const result = await store.apply(events);
      metrics.observe("cqrs_apply_seconds", (performance.now() - started) / 1000);
      metrics.inc("cqrs_apply_total", { result: result.status });
      if (result.status === "applied") metrics.inc("cqrs_events_applied_total", {}, result.applied);
      return result;
    },
  };
}

/** The gauges read at scrape time. */
export function readerGauges(metrics: Metrics, store: ViewStore, state: ReaderState): void {
  metrics.gauge("cqrs_replica_watermark", "the replica's watermark", () => store.watermark());
  metrics.gauge(
    "cqrs_replica_lag_events",
    "events between the newest head heard of and the watermark",
    async () => Math.max(0, state.knownHead - (await store.watermark())),
  );
  metrics.gauge(
    "cqrs_since_heard_seconds",
    "seconds since a push or pull last reached the primary",
    () => (state.lastHeardAt === null ? -1 : (Date.now() - state.lastHeardAt) / 1000),
  );
}
