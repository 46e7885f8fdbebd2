import { encodeBody } from "./bodyEncoding.ts";
import type { DlqEntry, LogEntry, StoredMessage } from "./types.ts";

const defined = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * A message as `GET /v2/messages/{id}` shows it (the SDK's `MessagePayload`:
 * `topicName`, `header` as arrays, `body` or `bodyBase64`, `label`/`labels`),
 * plus local extras `state`, `retried`, `nextDeliveryTime` for debugging.
 *
 * @example
 * c.json(messageView(message));
 */
export const messageView = (message: StoredMessage) => ({
  messageId: message.messageId,
  url: message.url,
  method: message.method,
  header: Object.fromEntries(Object.entries(message.header).map(([k, v]) => [k, [v]])),
  ...encodeBody(message.body),
  maxRetries: message.maxRetries,
  notBefore: message.notBefore,
  createdAt: message.createdAt,
  ...defined({
    topicName: message.topicName,
    endpointName: message.endpointName,
    retryDelayExpression: message.retryDelayExpression,
    callerIp: message.callerIp,
    flowControlKey: message.flowControlKey,
    parallelism: message.flowControl?.parallelism,
    rate: message.flowControl?.rate,
    period: message.flowControl?.period,
    label: message.labels[0],
    labels: message.labels.length > 0 ? message.labels : undefined,
    nextDeliveryTime: message.nextDeliveryTime,
  }),
  state: message.state,
  retried: message.retried,
});

/**
 * A DLQ entry as `GET /v2/dlq` lists it: the message plus `dlqId` and the
 * last failed attempt's `responseStatus`, `responseHeader`, `responseBody`.
 *
 * @example
 * c.json({ messages: entries.map(dlqView) });
 */
export const dlqView = (entry: DlqEntry) => ({
  ...messageView(entry.message),
  dlqId: entry.dlqId,
  ...defined({
    responseStatus: entry.failure.status,
    responseHeader: entry.failure.header,
    responseBody: entry.failure.body,
  }),
  error: entry.failure.error,
});

/**
 * A log line as `GET /v2/events` lists it (the SDK's `LogPayload`).
 *
 * @example
 * c.json({ events: entries.map(logView) });
 */
export const logView = (entry: LogEntry) => ({
  time: entry.time,
  state: entry.state,
  messageId: entry.messageId,
  url: entry.url,
  ...defined({
    topicName: entry.topicName,
    endpointName: entry.endpointName,
    nextDeliveryTime: entry.nextDeliveryTime,
    error: entry.error,
    responseStatus: entry.responseStatus,
    label: entry.labels[0],
    labels: entry.labels.length > 0 ? entry.labels : undefined,
  }),
});
