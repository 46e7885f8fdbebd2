import type { MessageState, StoredMessage } from "./types.ts";

const TERMINAL: ReadonlySet<MessageState> = new Set(["DELIVERED", "FAILED", "CANCELED"]);

/** Every message this server has accepted, oldest first. */
export interface MessageStore {
  /** The sequence the next message gets. */
  nextSequence(): number;
  add(message: Omit<StoredMessage, "sequence">): StoredMessage;
  get(messageId: string): StoredMessage | undefined;
  all(): StoredMessage[];
  isTerminal(message: StoredMessage): boolean;
}

/**
 * In-memory messages. Unlike QStash, which forgets a message shortly after
 * delivery, finished messages stay readable for debugging, up to `limit`;
 * past it the oldest finished ones are evicted (never a pending one).
 *
 * @example
 * const messages = createMessageStore(10_000);
 */
export const createMessageStore = (limit: number): MessageStore => {
  const byId = new Map<string, StoredMessage>();
  let sequence = 0;
  const isTerminal = (message: StoredMessage) => TERMINAL.has(message.state);

  const evict = () => {
    for (const [id, message] of byId) {
      if (byId.size <= limit) return;
      if (isTerminal(message)) byId.delete(id);
    }
  };

  return {
    nextSequence: () => sequence,
    add(fields) {
      const message: StoredMessage = { ...fields, sequence: sequence++ };
      byId.set(message.messageId, message);
      if (byId.size > limit) evict();
      return message;
    },
    get: (messageId) => byId.get(messageId),
    all: () => [...byId.values()],
    isTerminal,
  };
};
