import { httpMetricNames } from "../shared/metrics/httpMetrics.ts";
import { createMetrics, type Metrics } from "../shared/metrics/metrics.ts";

/** Every series the write API exports on `/metrics`. */
export const createWriteApiMetrics = (): Metrics =>
  createMetrics({
    ...httpMetricNames,
    cqrs_commands_total: { type: "counter", help: "commands committed, by type" },
    cqrs_events_appended_total: { type: "counter", help: "events appended to the log" },
    cqrs_idempotent_replays_total: {
      type: "counter",
      help: "retried requests answered from the idempotency store",
    },
    cqrs_busy_retries_total: {
      type: "counter",
      help: "write transactions retried after SQLITE_BUSY",
    },
    cqrs_relay_batches_total: {
      type: "counter",
      help: "relay messages, by outcome (published, failed)",
    },
    cqrs_relay_events_total: { type: "counter", help: "events published through QStash" },
  });
