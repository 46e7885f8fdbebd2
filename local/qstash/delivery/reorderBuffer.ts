import type { Scheduler } from "./scheduler.ts";

/** Deliveries held back so that a later one overtakes them. */
export interface ReorderBuffer {
  hold(run: () => Promise<void>): void;
  /** A mark taken when a delivery starts; see `releaseBefore`. */
  mark(): number;
  /** Releases every delivery held before `mark` was taken: that delivery has now overtaken them. */
  releaseBefore(mark: number): void;
  held(): number;
  /** Releases everything at once (shutdown). */
  flush(): void;
}

interface Held {
  mark: number;
  release: () => void;
}

/**
 * Holds a delivery until a delivery that started after it has been made, or
 * until `maxHoldMs()` passed, whichever is first, so a hold never lasts
 * forever when no later message comes. Held deliveries count as pending.
 *
 * @example
 * const buffer = createReorderBuffer(scheduler, () => faults.reorderHoldMs);
 */
export const createReorderBuffer = (
  scheduler: Scheduler,
  maxHoldMs: () => number,
): ReorderBuffer => {
  let counter = 0;
  const holding = new Set<Held>();

  return {
    hold(run) {
      let released = false;
      let timer: NodeJS.Timeout | undefined;
      scheduler.track(
        new Promise<void>((resolve, reject) => {
          const entry: Held = {
            mark: counter++,
            release: () => {
              if (released) return;
              released = true;
              clearTimeout(timer);
              holding.delete(entry);
              run().then(resolve, reject);
            },
          };
          holding.add(entry);
          timer = setTimeout(entry.release, maxHoldMs());
        }),
      );
    },
    mark: () => counter++,
    releaseBefore(mark) {
      for (const entry of [...holding]) if (entry.mark < mark) entry.release();
    },
    held: () => holding.size,
    flush() {
      for (const entry of [...holding]) entry.release();
    },
  };
};
