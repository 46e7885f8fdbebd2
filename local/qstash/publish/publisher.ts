import type { DeliveryEngine } from "../delivery/deliveryEngine.ts";
import type { DeliveryStats } from "../delivery/stats.ts";
import { QStashHttpError } from "../http/errors.ts";
import { randomId } from "../ids.ts";
import type { EventLog } from "../state/eventLog.ts";
import type { MessageStore } from "../state/messageStore.ts";
import type { StoredMessage } from "../state/types.ts";
import type { UrlGroupStore } from "../state/urlGroupStore.ts";
import { contentDedupKey, createDedupStore } from "./dedupStore.ts";
import type { Destination } from "./destination.ts";
import type { PublishSpec } from "./publishSpec.ts";

/** One created (or, when deduplicated, earlier) message, as QStash answers a publish. */
export interface PublishResponse {
  messageId: string;
  url: string;
  deduplicated?: boolean;
}

/** A URL publish answers one response, a URL group publish one per endpoint. */
export type PublishBody = PublishResponse | PublishResponse[];

export interface PublishOutcome {
  /** 201 for new messages; 202 for a duplicate, as QStash's deduplication docs say. */
  status: 201 | 202;
  body: PublishBody;
}

export interface Publisher {
  publish(destination: Destination, spec: PublishSpec, callerIp?: string): PublishOutcome;
  /** A new message with the same destination, body and headers (DLQ retry). */
  republish(message: StoredMessage, retries?: number): StoredMessage;
}

export interface PublisherDeps {
  messages: MessageStore;
  groups: UrlGroupStore;
  log: EventLog;
  engine: DeliveryEngine;
  stats: DeliveryStats;
  dedupWindowMs: number;
  now: () => number;
}

type Target = Pick<StoredMessage, "url" | "topicName" | "endpointName">;

const asDuplicate = (body: PublishBody): PublishBody =>
  Array.isArray(body)
    ? body.map((r) => ({ ...r, deduplicated: true }))
    : { ...body, deduplicated: true };

/**
 * Turns publishes into messages: resolves URL groups to their endpoints,
 * swallows duplicates inside the window, and hands each message to delivery.
 * Deduplication keys are scoped to the destination (the URL or group name).
 *
 * @example
 * const publisher = createPublisher(deps);
 * publisher.publish({ kind: "urlGroup", name: "readers" }, spec);
 */
export const createPublisher = (deps: PublisherDeps): Publisher => {
  const dedup = createDedupStore<PublishBody>(deps.dedupWindowMs);

  const create = (fields: Omit<StoredMessage, "sequence">): StoredMessage => {
    const message = deps.messages.add(fields);
    deps.stats.published++;
    deps.log.record(message, "CREATED");
    deps.engine.enqueue(message);
    return message;
  };

  const targetsOf = (destination: Destination): Target[] => {
    if (destination.kind === "url") return [{ url: destination.url }];
    const group = deps.groups.get(destination.name);
    if (!group) throw new QStashHttpError(404, `topic ${destination.name} not found`);
    if (group.endpoints.length === 0) {
      throw new QStashHttpError(400, `topic ${destination.name} has no endpoints`);
    }
    return group.endpoints.map((endpoint) => ({
      url: endpoint.url,
      topicName: group.name,
      ...(endpoint.name === undefined ? {} : { endpointName: endpoint.name }),
    }));
  };

  return {
    publish(destination, spec, callerIp) {
      const now = deps.now();
      const scope = destination.kind === "url" ? destination.url : destination.name;
      const key =
        spec.deduplicationId !== undefined
          ? `id:${scope}\n${spec.deduplicationId}`
          : spec.contentBasedDeduplication
            ? contentDedupKey(scope, spec.header, spec.body)
            : undefined;
      const earlier = key === undefined ? undefined : dedup.get(key, now);
      if (earlier !== undefined) {
        deps.stats.deduplicated++;
        return { status: 202, body: asDuplicate(earlier) };
      }
      const responses = targetsOf(destination).map((target) => {
        const message = create({
          ...target,
          messageId: randomId("msg"),
          method: spec.method,
          header: spec.header,
          body: spec.body,
          maxRetries: spec.retries,
          retried: 0,
          notBefore: spec.notBefore,
          createdAt: now,
          timeoutMs: spec.timeoutMs,
          labels: spec.labels,
          state: "CREATED",
          ...(spec.retryDelayExpression === undefined
            ? {}
            : { retryDelayExpression: spec.retryDelayExpression }),
          ...(spec.flowControlKey === undefined ? {} : { flowControlKey: spec.flowControlKey }),
          ...(spec.flowControl === undefined ? {} : { flowControl: spec.flowControl }),
          ...(callerIp === undefined ? {} : { callerIp }),
        });
        return { messageId: message.messageId, url: message.url };
      });
      const [first] = responses;
      const body: PublishBody = destination.kind === "url" && first ? first : responses;
      if (key !== undefined) dedup.remember(key, body, now);
      return { status: 201, body };
    },

    republish(message, retries) {
      const { sequence: _sequence, nextDeliveryTime: _next, ...fields } = message;
      return create({
        ...fields,
        messageId: randomId("msg"),
        retried: 0,
        maxRetries: retries ?? message.maxRetries,
        notBefore: deps.now(),
        createdAt: deps.now(),
        state: "CREATED",
      });
    },
  };
};
