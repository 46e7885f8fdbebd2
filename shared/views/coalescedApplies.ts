import type { StoredEvent } from "../events/types.ts";
import type { ApplyResult, ViewStore } from "./viewStore.ts";

/** Events one merged apply takes at most: a catch-up page's worth. */
const maxMergedEvents = 500;

interface Waiter {
  events: readonly StoredEvent[];
  /** set by the apply that took this waiter's events */
  result?: ApplyResult;
}

/**
 * One waiter's answer out of the merged apply that took its events: applied
 * if any of them was past the watermark the merged apply started from.
 */
function answerFor(events: readonly StoredEvent[], merged: ApplyResult): ApplyResult {
  if (merged.status !== "applied") return merged;
  const from = merged.watermark - merged.applied;
  const own = new Set(events.map((e) => e.seq).filter((seq) => seq > from));
  return own.size > 0
    ? { status: "applied", watermark: merged.watermark, applied: own.size }
    : { status: "duplicate", watermark: merged.watermark };
}

/**
 * A store whose applies never run side by side: those that arrive while one
 * runs wait their turn, and the first to get it applies its events together
 * with those of every waiter behind it (one transaction, one set of round
 * trips); the others then find their answer and touch nothing. Pushes arrive
 * concurrently; applied one by one they queue behind each other's fixed costs
 * (several round trips each on a Worker's D1), and past a few dozen a second
 * that queue only grows. Each apply runs in the call of the push whose turn
 * it is, never on behalf of another: workerd cancels a request's I/O once that
 * request has answered. A merged batch that reaches past a hole in the log
 * is applied up to the hole, the pushes beyond it left to their own turns;
 * one that fails leaves the others to their turns and the push tries alone.
 * A push alone past a hole waits up to `holeWaitMs` (20) for the next push to
 * arrive and tries again with it, before its caller pulls the hole from the
 * primary: pushes overtaking each other on the way are the usual hole.
 *
 * @example
 * const store = coalescedApplies(opened);
 * await Promise.all([store.apply([e41]), store.apply([e42])]); // one apply of 41–42 after the first
 */
export function coalescedApplies(
  store: ViewStore,
  options: { holeWaitMs?: number } = {},
): ViewStore {
  const holeWaitMs = options.holeWaitMs ?? 20;
  let waiting: Waiter[] = [];
  let turn: Promise<unknown> = Promise.resolve();
  let arrived: (() => void) | undefined;

  /** Resolves when a push arrives, or after `holeWaitMs`; true if one arrived. */
  const nextArrival = (): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        arrived = undefined;
        resolve(false);
      }, holeWaitMs);
      arrived = () => {
        clearTimeout(timer);
        arrived = undefined;
        resolve(true);
      };
    });

  /** This waiter and those behind it, up to `maxMergedEvents` events, taken off the queue. */
  const takeFrom = (me: Waiter): Waiter[] => {
    const behind = waiting.filter((w) => w !== me);
    const group = [me];
    let events = me.events.length;
    for (const w of behind) {
      if (events + w.events.length > maxMergedEvents) break;
      group.push(w);
      events += w.events.length;
    }
    waiting = waiting.filter((w) => !group.includes(w));
    return group;
  };

  /** Back in the queue, for their own turns: waiters a merged apply could not answer. */
  const putBack = (group: readonly Waiter[], me: Waiter) => {
    waiting = [...group.filter((w) => w !== me), ...waiting];
  };

  const applyInTurn = async (me: Waiter): Promise<ApplyResult> => {
    if (me.result) return me.result;
    let group = takeFrom(me);
    let waitedForHole = false;
    for (;;) {
      let merged: ApplyResult;
      try {
        merged = await store.apply(group.flatMap((w) => w.events));
      } catch (error) {
        if (group.length === 1) throw error;
        // whatever failed the merged batch, this push tries alone; the others in their turns
        putBack(group, me);
        group = [me];
        continue;
      }
      if (merged.status === "gap" && group.length === 1 && !waitedForHole && holeWaitMs > 0) {
        // Alone past a hole: the push that fills it is most likely a moment
        // behind this one (the relay keeps several messages with QStash), and
        // applied together they need no pull from the primary.
        waitedForHole = true;
        if (waiting.length > 0 || (await nextArrival())) {
          group = takeFrom(me);
          continue;
        }
      }
      if (merged.status !== "gap" || group.length === 1) {
        for (const w of group) w.result = answerFor(w.events, merged);
        return answerFor(me.events, merged);
      }
      // Past a hole: the pushes below it go on together, the rest wait for their own turns.
      const { from } = merged.missing;
      const below = group.filter((w) => w.events.every((e) => e.seq < from));
      // (each pass takes fewer pushes, so this ends even if a store named its hole oddly)
      const next = below.includes(me) && below.length < group.length ? below : [me];
      putBack(
        group.filter((w) => !next.includes(w)),
        me,
      );
      group = next;
    }
  };

  return {
    apply(events) {
      const me: Waiter = { events };
      waiting.push(me);
      arrived?.();
      const result = turn.then(
        () => applyInTurn(me),
        () => applyInTurn(me),
      );
      turn = result.catch(() => undefined);
      return result;
    },
    watermark: () => store.watermark(),
    read: (model, plan) => store.read(model, plan),
    digest: (options) => store.digest(options),
    close: () => store.close(),
  };
}
