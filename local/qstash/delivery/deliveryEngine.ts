import { compileRetryDelay } from "../publish/retryDelay.ts";
import type { SigningKeyRing } from "../signing/signingKeys.ts";
import type { DlqStore } from "../state/dlqStore.ts";
import type { EventLog } from "../state/eventLog.ts";
import type { MessageStore } from "../state/messageStore.ts";
import type { LogEntry, MessageState, StoredMessage } from "../state/types.ts";
import { type RetryPolicy, retryDelayMs } from "./backoff.ts";
import type { SendToEndpoint } from "./endpointSender.ts";
import type { FaultSwitch } from "./faultSwitch.ts";
import type { FaultPlan } from "./faults.ts";
import { createReorderBuffer } from "./reorderBuffer.ts";
import type { Scheduler } from "./scheduler.ts";
import { type AttemptResult, sendDelivery } from "./sendDelivery.ts";
import type { DeliveryStats } from "./stats.ts";

export interface DeliveryEngineDeps {
  messages: MessageStore;
  dlq: DlqStore;
  log: EventLog;
  scheduler: Scheduler;
  keys: SigningKeyRing;
  retry: RetryPolicy;
  faults: FaultSwitch;
  stats: DeliveryStats;
  now: () => number;
  send: SendToEndpoint;
}

export interface DeliveryEngine {
  /** Schedules the first attempt at the message's `notBefore`. */
  enqueue(message: StoredMessage): void;
  /** Stops further attempts; false when the message had already finished. */
  cancel(message: StoredMessage): boolean;
  /** Held and scheduled attempts never run; in-flight requests are aborted. */
  close(): void;
}

/**
 * Delivers messages as QStash does — one signed request per attempt, a 2xx
 * ends it, anything else is retried with backoff until `maxRetries`, then the
 * message goes to the DLQ — with the configured faults injected per attempt.
 *
 * @example
 * const engine = createDeliveryEngine(deps);
 * engine.enqueue(message);
 */
export const createDeliveryEngine = (deps: DeliveryEngineDeps): DeliveryEngine => {
  const { scheduler, stats, log } = deps;
  const abort = new AbortController();
  const reorder = createReorderBuffer(scheduler, () => deps.faults.config().reorderHoldMs);
  let closed = false;
  // The one timer each message waits on (first attempt, retry or delayed
  // delivery), so cancelling a message stops it at once instead of at its time.
  const waiting = new Map<string, () => void>();

  const later = (message: StoredMessage, delayMs: number, task: () => Promise<void>) => {
    const cancel = scheduler.after(delayMs, () => {
      waiting.delete(message.messageId);
      return task();
    });
    waiting.set(message.messageId, cancel);
  };

  const live = (message: StoredMessage) => !closed && message.state !== "CANCELED";

  const setState = (message: StoredMessage, state: MessageState, extra?: Partial<LogEntry>) => {
    message.state = state;
    log.record(message, state, extra);
  };

  const send = (message: StoredMessage): Promise<AttemptResult> =>
    sendDelivery(message, {
      signingKey: deps.keys.keys().current,
      now: deps.now(),
      signal: abort.signal,
      send: deps.send,
    });

  const nextDelay = (message: StoredMessage): number =>
    message.retryDelayExpression === undefined
      ? retryDelayMs(message.retried, deps.retry)
      : compileRetryDelay(message.retryDelayExpression)(message.retried);

  const failed = (message: StoredMessage, result: Extract<AttemptResult, { ok: false }>) => {
    stats.failedAttempts++;
    setState(message, "ERROR", {
      error: result.error,
      ...(result.status === undefined ? {} : { responseStatus: result.status }),
    });
    if (message.retried < message.maxRetries) {
      const delay = nextDelay(message);
      message.retried++;
      message.nextDeliveryTime = deps.now() + delay;
      stats.retried++;
      setState(message, "RETRY", { nextDeliveryTime: message.nextDeliveryTime });
      later(message, delay, () => attempt(message));
      return;
    }
    delete message.nextDeliveryTime;
    setState(message, "FAILED", { error: result.error });
    stats.deadLettered++;
    const { ok: _ok, ...failure } = result;
    deps.dlq.add(message, failure, deps.now());
  };

  const deliver = async (message: StoredMessage, plan: FaultPlan) => {
    if (!live(message)) return;
    const mark = reorder.mark();
    setState(message, "ACTIVE");
    const result = await send(message);
    stats.attempts++;
    if (plan.duplicate && !closed) {
      stats.duplicated++;
      // The copy's answer is ignored: QStash acts on one response per attempt.
      await send(message);
    }
    // This delivery has been made, so whatever was held back before it may follow now.
    reorder.releaseBefore(mark);
    if (!live(message)) return;
    if (result.ok) {
      stats.delivered++;
      delete message.nextDeliveryTime;
      setState(message, "DELIVERED", { responseStatus: result.status });
    } else {
      failed(message, result);
    }
  };

  const attempt = async (message: StoredMessage) => {
    if (!live(message)) return;
    const plan = deps.faults.plan(message.sequence, message.retried);
    if (plan.drop) {
      // A lost push: the publisher was acknowledged and QStash believes it delivered.
      stats.dropped++;
      setState(message, "DELIVERED", { error: "local fault injection: delivery dropped" });
      return;
    }
    const go = async () => {
      if (plan.delayMs === 0) return deliver(message, plan);
      stats.delayed++;
      later(message, plan.delayMs, () => deliver(message, plan));
    };
    if (!plan.hold) return go();
    stats.reordered++;
    reorder.hold(go);
  };

  return {
    enqueue(message) {
      const delayMs = message.notBefore - deps.now();
      // Due now: the first attempt starts in this turn, not after a timer's
      // tick, so a push costs the subscriber's answer and nothing more.
      if (delayMs <= 0) scheduler.track(attempt(message));
      else later(message, delayMs, () => attempt(message));
    },
    cancel(message) {
      if (deps.messages.isTerminal(message)) return false;
      waiting.get(message.messageId)?.();
      waiting.delete(message.messageId);
      stats.canceled++;
      setState(message, "CANCELED");
      return true;
    },
    close() {
      closed = true;
      abort.abort();
      reorder.flush();
    },
  };
};
