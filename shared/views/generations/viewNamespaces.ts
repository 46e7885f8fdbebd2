import type { ViewStore } from "../viewStore.ts";

/**
 * A namespace's watermark once it has been switched away from. Stores keep
 * it there so a process still holding the old namespace finds out on its next
 * read or apply, instead of serving an emptied namespace as if it were new.
 */
export const retiredWatermark = -1;

/** Thrown by a store asked to apply to a retired namespace; nothing was written. */
export class NamespaceRetired extends Error {
  override readonly name = "NamespaceRetired";
  constructor(readonly namespace: string) {
    super(`view namespace "${namespace}" was retired by a switch to a newer generation`);
  }
}

export type SwitchOutcome =
  | { status: "switched" }
  /** `to` has not reached `from`'s watermark yet: apply more and try again */
  | { status: "behind"; watermark: number; target: number }
  /** `from` is no longer the active namespace: someone else switched */
  | { status: "moved"; active: string | null };

/** The namespace reads and live applies go to, and the operator epoch it was built at. */
export interface ActiveNamespace {
  namespace: string;
  epoch: number;
}

/**
 * One store kind's namespaces in one database (SQL tables, Redis key
 * prefixes). Every adapter passes `testViewNamespaces` in `shared/testing/`.
 */
export interface ViewNamespaces {
  /** where reads and live applies go; null when the store was never used */
  active(): Promise<ActiveNamespace | null>;
  /** a store over one namespace, its tables or keys created if missing */
  open(namespace: string): Promise<ViewStore>;
  /**
   * In one atomic step: if `from` is still active and `to`'s watermark has
   * reached `from`'s, `to` becomes active and `from` is retired (its
   * watermark set to `retiredWatermark`, so no apply lands there again).
   * `from` null: make `to` active in a store that has none.
   */
  switchTo(from: string | null, to: ActiveNamespace): Promise<SwitchOutcome>;
  /** deletes a namespace's data; refuses the active one */
  drop(namespace: string): Promise<void>;
  /** every namespace with data, the active one included */
  list(): Promise<string[]>;
}
