import { QSTASH_RETRY_POLICY, type RetryPolicy } from "./delivery/backoff.ts";
import { createDeliveryEngine, type DeliveryEngine } from "./delivery/deliveryEngine.ts";
import { endpointSender, type SendToEndpoint } from "./delivery/endpointSender.ts";
import { createFaultSwitch, type FaultSwitch } from "./delivery/faultSwitch.ts";
import { type FaultConfig, NO_FAULTS } from "./delivery/faults.ts";
import { createScheduler, type Scheduler } from "./delivery/scheduler.ts";
import { createStats, type DeliveryStats } from "./delivery/stats.ts";
import { createPublisher, type Publisher } from "./publish/publisher.ts";
import type { PublishDefaults } from "./publish/publishSpec.ts";
import {
  createSigningKeyRing,
  type SigningKeyRing,
  type SigningKeys,
} from "./signing/signingKeys.ts";
import { createDlqStore, type DlqStore } from "./state/dlqStore.ts";
import { createEventLog, type EventLog } from "./state/eventLog.ts";
import { createMessageStore, type MessageStore } from "./state/messageStore.ts";
import { createUrlGroupStore, type UrlGroupStore } from "./state/urlGroupStore.ts";

/** Everything that shapes the server's behaviour; all optional. */
export interface QStashCoreOptions {
  /** Bearer token of the API; random when absent. */
  token?: string;
  signingKeys?: Partial<SigningKeys>;
  retry?: Partial<RetryPolicy>;
  faults?: Partial<FaultConfig>;
  /** Deduplication window; default 90 days, as the SDK's docs state. */
  dedupWindowMs?: number;
  /** Per-attempt timeout when the publisher sends no `Upstash-Timeout`. */
  deliveryTimeoutMs?: number;
  /** Largest accepted message body; QStash's free plan allows 1 MB. */
  maxBodyBytes?: number;
  /** Finished messages kept readable before the oldest are evicted. */
  messageLimit?: number;
  now?: () => number;
  /** how deliveries reach endpoints; default node:http(s) with keep-alive */
  send?: SendToEndpoint;
  onError?: (error: unknown) => void;
}

/** The server's state and machinery, without HTTP. */
export interface QStashCore {
  token: string;
  now: () => number;
  defaults: PublishDefaults;
  maxBodyBytes: number;
  messages: MessageStore;
  groups: UrlGroupStore;
  dlq: DlqStore;
  log: EventLog;
  keys: SigningKeyRing;
  faults: FaultSwitch;
  stats: DeliveryStats;
  scheduler: Scheduler;
  engine: DeliveryEngine;
  publisher: Publisher;
}

const DAY_MS = 86_400_000;

/**
 * Assembles stores, delivery and publishing from options.
 *
 * @example
 * const core = createQStashCore({ token: "dev", retry: { baseDelayMs: 1 } });
 */
export const createQStashCore = (options: QStashCoreOptions = {}): QStashCore => {
  const now = options.now ?? Date.now;
  const onError =
    options.onError ?? ((error: unknown) => console.error("[local qstash] unexpected:", error));
  const retry: RetryPolicy = { ...QSTASH_RETRY_POLICY, ...options.retry };
  const faults = createFaultSwitch({ ...NO_FAULTS, ...options.faults });
  const messages = createMessageStore(options.messageLimit ?? 10_000);
  const groups = createUrlGroupStore();
  const dlq = createDlqStore();
  const log = createEventLog(50_000, now);
  const keys = createSigningKeyRing(options.signingKeys);
  const stats = createStats();
  const scheduler = createScheduler(onError);
  const engine = createDeliveryEngine({
    messages,
    dlq,
    log,
    scheduler,
    keys,
    retry,
    faults,
    stats,
    now,
    send: options.send ?? endpointSender(),
  });
  const publisher = createPublisher({
    messages,
    groups,
    log,
    engine,
    stats,
    dedupWindowMs: options.dedupWindowMs ?? 90 * DAY_MS,
    now,
  });
  return {
    token: options.token ?? `local_${crypto.randomUUID().replaceAll("-", "")}`,
    now,
    defaults: { retries: retry.defaultRetries, timeoutMs: options.deliveryTimeoutMs ?? 30_000 },
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    messages,
    groups,
    dlq,
    log,
    keys,
    faults,
    stats,
    scheduler,
    engine,
    publisher,
  };
};
