/** Message states as QStash's logs name them (the SDK's `State` type). */
export type MessageState =
  | "CREATED"
  | "ACTIVE"
  | "DELIVERED"
  | "ERROR"
  | "RETRY"
  | "FAILED"
  | "CANCELED";

/** One message: one destination URL (a URL group publish makes one per endpoint). */
export interface StoredMessage {
  messageId: string;
  /** Creation order; picks the message's fault draws together with the seed. */
  sequence: number;
  url: string;
  topicName?: string;
  endpointName?: string;
  method: string;
  /** Headers delivered as they are: Content-Type and the `Upstash-Forward-*` ones, prefix stripped. */
  header: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  maxRetries: number;
  retryDelayExpression?: string;
  retried: number;
  /** Unix ms before which no attempt is made. */
  notBefore: number;
  createdAt: number;
  timeoutMs: number;
  labels: string[];
  callerIp?: string;
  flowControlKey?: string;
  /** from `Upstash-Flow-Control-Value`, as QStash echoes them on messages and DLQ entries */
  flowControl?: FlowControlValue;
  state: MessageState;
  nextDeliveryTime?: number;
}

/** A flow-control key's limits: concurrent deliveries, and deliveries per `period` seconds. */
export interface FlowControlValue {
  parallelism?: number;
  rate?: number;
  period?: number;
}

/** The last failed attempt of a message that ran out of retries. */
export interface DeliveryFailure {
  status?: number;
  header?: Record<string, string[]>;
  body?: string;
  error: string;
}

export interface DlqEntry {
  dlqId: string;
  message: StoredMessage;
  failure: DeliveryFailure;
  failedAt: number;
}

/** One line of the message log (`GET /v2/events`, `GET /v2/logs`). */
export interface LogEntry {
  time: number;
  state: MessageState;
  messageId: string;
  url: string;
  topicName?: string;
  endpointName?: string;
  nextDeliveryTime?: number;
  error?: string;
  labels: string[];
  responseStatus?: number;
  callerIp?: string;
  flowControlKey?: string;
}
