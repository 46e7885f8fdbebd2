import type { LogEntry, MessageState, StoredMessage } from "./types.ts";

/** The message log behind `/v2/events` and `/v2/logs`. */
export interface EventLog {
  record(message: StoredMessage, state: MessageState, extra?: Partial<LogEntry>): LogEntry;
  /** Newest first, as QStash lists them. */
  newestFirst(): LogEntry[];
}

/**
 * An append-only, bounded log of state changes. The oldest entries fall off
 * past `limit` so a long local run does not grow without end.
 *
 * @example
 * const log = createEventLog(50_000, Date.now);
 * log.record(message, "CREATED");
 */
export const createEventLog = (limit: number, now: () => number): EventLog => {
  let entries: LogEntry[] = [];
  return {
    record(message, state, extra = {}) {
      const entry: LogEntry = {
        time: now(),
        state,
        messageId: message.messageId,
        url: message.url,
        labels: message.labels,
        ...(message.topicName === undefined ? {} : { topicName: message.topicName }),
        ...(message.endpointName === undefined ? {} : { endpointName: message.endpointName }),
        ...(message.callerIp === undefined ? {} : { callerIp: message.callerIp }),
        ...(message.flowControlKey === undefined ? {} : { flowControlKey: message.flowControlKey }),
        ...extra,
      };
      entries.push(entry);
      if (entries.length > limit * 1.1) entries = entries.slice(entries.length - limit);
      return entry;
    },
    newestFirst: () => entries.slice().reverse(),
  };
};
