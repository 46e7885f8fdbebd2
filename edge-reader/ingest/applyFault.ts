import { AppError } from "../../shared/errors/index.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import type { ReaderState } from "../catchUp/readerState.ts";

/**
 * A rejection handler for the apply steps of one verified push: an error that
 * is not one of ours (the projection or the store failing on this reader's
 * data, a corrupt record say) becomes the reader's `lastPoison` before it
 * propagates as a 500. QStash retries any non-2xx and dead-letters the push
 * after its retries; the apply is atomic, so the views stay at the watermark
 * before the batch. Only the error's name goes on the public status: its
 * message may quote SQL or data, and the fault reporter logs it whole.
 *
 * @example
 * const fault = applyFault(state, Date.now, events);
 * const result = await store.apply(events).catch(fault);
 */
export const applyFault =
  (state: ReaderState, now: () => number, events: readonly StoredEvent[]) =>
  (error: unknown): never => {
    if (!(error instanceof AppError)) {
      state.lastPoison = {
        at: now(),
        message: "the push could not be applied to this reader's views",
        details: {
          from: events[0]?.seq ?? null,
          to: events.at(-1)?.seq ?? null,
          error: error instanceof Error ? error.name : typeof error,
        },
      };
    }
    throw error;
  };
