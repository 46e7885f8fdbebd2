/**
 * Holds a process's live applies for a moment: a build that has caught up
 * with the log takes its last few events and switches while no apply can move
 * the live watermark past it. Without the hold, a steady stream of writes
 * keeps the build one event behind for as long as the stream lasts.
 */
export interface ApplyGate {
  /** Runs `op` once the gate is open; it counts as in flight until it settles. */
  pass<T>(op: () => Promise<T>): Promise<T>;
  /** Closes the gate, waits for the ops in flight, runs `op`, then opens the gate. */
  closedFor<T>(op: () => Promise<T>): Promise<T>;
}

/**
 * @example
 * const gate = createApplyGate();
 * await gate.pass(() => live.apply(events));
 * await gate.closedFor(() => catchUpAndSwitch());
 */
export function createApplyGate(): ApplyGate {
  let closed: Promise<void> | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  return {
    async pass(op) {
      while (closed) await closed;
      inFlight++;
      try {
        return await op();
      } finally {
        inFlight--;
        if (inFlight === 0) drained?.();
      }
    },
    async closedFor(op) {
      while (closed) await closed;
      let open = () => {};
      closed = new Promise<void>((resolve) => {
        open = resolve;
      });
      try {
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        }
        return await op();
      } finally {
        drained = null;
        closed = null;
        open();
      }
    },
  };
}
