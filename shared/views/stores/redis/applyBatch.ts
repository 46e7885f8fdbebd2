import { AppError } from "../../../errors/index.ts";
import type { StoredEvent } from "../../../events/types.ts";
import { type Need, planBatch, projectBatch } from "../../../projection/index.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import { NamespaceRetired, retiredWatermark } from "../../generations/viewNamespaces.ts";
import type { ApplyResult } from "../../viewStore.ts";
import type { ApplyOutcome, ApplyWrites } from "./applyScript.ts";
import type { LoadedRound } from "./loadNeeds.ts";
import { writeOps } from "./writeChanges.ts";

export interface ApplyDeps {
  /** named in the error when the namespace turns out to be retired */
  namespace: string;
  readWatermark(): Promise<number>;
  /** one round of needs; `check` also reads the watermark in the same round trip */
  loadRound(needs: readonly Need[], check: boolean): Promise<LoadedRound>;
  runApply(writes: ApplyWrites): Promise<ApplyOutcome>;
  /** plans tried before giving up while other appliers keep winning */
  maxAttempts: number;
}

/** Thrown inside a load round when the watermark moved since the batch was planned. */
class Overtaken extends Error {
  constructor(readonly watermark: number) {
    super(`the watermark moved to ${watermark} while the batch was being planned`);
  }
}

function checkSeqs(events: readonly StoredEvent[]): void {
  for (const e of events) {
    if (!Number.isSafeInteger(e.seq)) {
      // Past 2^53 a seq no longer says which event it is: refuse, never round.
      throw new AppError("bad_request", `event seq ${e.seq} is not an integer below 2^53`, {
        details: { seq: String(e.seq) },
      });
    }
  }
}

/**
 * The apply protocol over Redis: plan against a watermark, load what the
 * projection needs, then one script call that commits the changes and the new
 * watermark only if the watermark is still the planned one. A loser re-plans
 * from the watermark the script reports, so of two concurrent deliveries one
 * applies and the other comes back `duplicate` (or applies only what is left).
 *
 * Round trips: with the watermark known from this store's last apply, only
 * the need rounds (1 to 3, the first one also re-checking the watermark) plus
 * the script; a store that knows nothing yet first GETs the watermark.
 *
 * @example
 * const apply = applyBatch(deps);
 * await apply(events); // → { status: "applied", watermark: 42, applied: 3 }
 */
export function applyBatch(deps: ApplyDeps) {
  // Only ever a lower bound: watermarks only grow, and every compare-and-set checks it.
  let known: number | null = null;

  return async (events: readonly StoredEvent[]): Promise<ApplyResult> => {
    checkSeqs(events);
    let fresh = known === null;
    let watermark = known ?? (await deps.readWatermark());
    for (let attempt = 0; attempt < deps.maxAttempts; attempt++) {
      // Switched away from: nothing may land here again (the script's compare never matches -1).
      if (watermark === retiredWatermark) throw new NamespaceRetired(deps.namespace);
      // Events folded over part of a catalog build views no replica can match.
      if (watermark === bulkLoadingWatermark) {
        throw new Error(
          `view namespace "${deps.namespace}" holds an unfinished bulk load: rebuild it before applying`,
        );
      }
      const plan = planBatch(watermark, events);
      if (plan.status !== "apply") {
        // A remembered watermark may be behind: re-read before answering from it.
        if (!fresh) {
          watermark = await deps.readWatermark();
          fresh = true;
          continue;
        }
        known = watermark;
        if (plan.status === "duplicate") return { status: "duplicate", watermark };
        return { status: "gap", watermark, missing: plan.missing };
      }
      const outcome = await attemptApply(deps, plan.events, watermark, !fresh);
      if (outcome.status === "applied") {
        known = plan.watermark;
        return { status: "applied", watermark: plan.watermark, applied: plan.events.length };
      }
      watermark = outcome.watermark;
      known = watermark;
      fresh = true;
    }
    throw new AppError("unavailable", "the view store kept losing the apply race; retry later");
  };
}

async function attemptApply(
  deps: ApplyDeps,
  events: StoredEvent[],
  expected: number,
  check: boolean,
): Promise<ApplyOutcome> {
  let checkNext = check;
  try {
    const changes = await projectBatch(events, async (needs) => {
      const round = await deps.loadRound(needs, checkNext);
      checkNext = false;
      if (round.watermark !== undefined && round.watermark !== expected) {
        throw new Overtaken(round.watermark);
      }
      return round.loaded;
    });
    const next = events.at(-1)?.seq ?? expected;
    return await deps.runApply({ expected, next, ops: writeOps(changes) });
  } catch (error) {
    if (error instanceof Overtaken) return { status: "stale", watermark: error.watermark };
    throw error;
  }
}
