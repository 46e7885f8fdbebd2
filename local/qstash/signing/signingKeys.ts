import { randomId } from "../ids.ts";

/** The two keys a receiver is configured with; QStash signs with `current`. */
export interface SigningKeys {
  current: string;
  next: string;
}

export interface SigningKeyRing {
  keys(): SigningKeys;
  /** QStash's rotation: next becomes current, a fresh next is made. Returns the new pair. */
  rotate(): SigningKeys;
}

/**
 * A fresh key shaped like QStash's (`sig_` and base58).
 *
 * @example
 * generateSigningKey(); // "sig_7kYj…"
 */
export const generateSigningKey = (): string => randomId("sig", 28);

/**
 * Holds the current and next signing keys; missing ones are generated.
 *
 * @example
 * const ring = createSigningKeyRing({ current: process.env.QSTASH_CURRENT_SIGNING_KEY });
 */
export const createSigningKeyRing = (initial: Partial<SigningKeys> = {}): SigningKeyRing => {
  let keys: SigningKeys = {
    current: initial.current ?? generateSigningKey(),
    next: initial.next ?? generateSigningKey(),
  };
  return {
    keys: () => ({ ...keys }),
    rotate() {
      keys = { current: keys.next, next: generateSigningKey() };
      return { ...keys };
    },
  };
};
