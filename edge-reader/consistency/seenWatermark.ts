import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderState } from "../catchUp/readerState.ts";

/**
 * Notes in `state` every watermark the store answers with: applies, reads and
 * watermark reads all say where the store stood, so the consistency layer
 * often knows enough without asking it again.
 *
 * @example
 * const store = watermarkSeeing(opened, state);
 */
export function watermarkSeeing(
  store: ViewStore,
  state: ReaderState,
  now: () => number = Date.now,
): ViewStore {
  const saw = (watermark: number) => {
    // -1 is a retired namespace's: the generational store follows the switch, nothing to note
    if (watermark < 0) return;
    state.watermark = Math.max(state.watermark, watermark);
    state.watermarkSeenAt = now();
  };
  return {
    async apply(events) {
      const result = await store.apply(events);
      saw(result.watermark);
      return result;
    },
    async watermark() {
      const watermark = await store.watermark();
      saw(watermark);
      return watermark;
    },
    async read(model, plan) {
      const read = await store.read(model, plan);
      saw(read.watermark);
      return read;
    },
    digest: (options) => store.digest(options),
    close: () => store.close(),
  };
}

/**
 * The watermark to key cached answers by: the one last seen, if seen within
 * `maxAgeMs`, else the store's own (one read, which is then the last seen).
 * A process that applies every push itself always has it current; one that
 * shares its store with others (Worker isolates) lags them by at most `maxAgeMs`.
 *
 * @example
 * await recentWatermark(store, state, 1_000); // → 812
 */
export async function recentWatermark(
  store: ViewStore,
  state: ReaderState,
  maxAgeMs: number,
  now: () => number = Date.now,
): Promise<number> {
  const seenAt = state.watermarkSeenAt;
  if (seenAt !== null && now() - seenAt <= maxAgeMs) return state.watermark;
  return store.watermark();
}
