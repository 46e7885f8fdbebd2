import { createPrng, mixSeed } from "./prng.ts";

/**
 * What can go wrong with one delivery attempt, as fractions in 0..1 of the
 * attempts it hits. These are the failure modes the readers must survive:
 * QStash is at-least-once, unordered, and a push can be lost.
 */
export interface FaultConfig {
  /** The attempt reaches the endpoint twice. */
  duplicate: number;
  /** The attempt is held back until a later delivery has been made (or `reorderHoldMs` passed). */
  reorder: number;
  /** The attempt is never made; the message still counts as delivered, like a lost push. */
  drop: number;
  /** The attempt waits a random 0..`delayMs` first. */
  delay: number;
  delayMs: number;
  /** Longest a reordered attempt waits for a later one, so nothing is held forever. */
  reorderHoldMs: number;
  /** Same seed, same messages: same faults. */
  seed: number;
}

/** What happens to one attempt. */
export interface FaultPlan {
  drop: boolean;
  duplicate: boolean;
  hold: boolean;
  delayMs: number;
}

export const NO_FAULTS: FaultConfig = {
  duplicate: 0,
  reorder: 0,
  drop: 0,
  delay: 0,
  delayMs: 1_000,
  reorderHoldMs: 2_000,
  seed: 1,
};

const FRACTIONS = ["duplicate", "reorder", "drop", "delay"] as const;
const DURATIONS = ["delayMs", "reorderHoldMs"] as const;

/**
 * Applies a partial update from an admin call or env, checking every value.
 * Returns the new config, or the first problem as a message.
 *
 * @example
 * updateFaults(NO_FAULTS, { drop: 0.2, seed: 7 }); // { ok: true, config: { …, drop: 0.2, seed: 7 } }
 */
export const updateFaults = (
  current: FaultConfig,
  patch: Record<string, unknown>,
): { ok: true; config: FaultConfig } | { ok: false; error: string } => {
  const next: FaultConfig = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return { ok: false, error: `${key} must be a finite number` };
    }
    if ((FRACTIONS as readonly string[]).includes(key)) {
      if (value < 0 || value > 1) return { ok: false, error: `${key} must be between 0 and 1` };
      next[key as (typeof FRACTIONS)[number]] = value;
    } else if ((DURATIONS as readonly string[]).includes(key)) {
      if (value < 0) return { ok: false, error: `${key} must not be negative` };
      next[key as (typeof DURATIONS)[number]] = value;
    } else if (key === "seed") {
      if (!Number.isInteger(value)) return { ok: false, error: "seed must be an integer" };
      next.seed = value;
    } else {
      return { ok: false, error: `unknown fault option ${key}` };
    }
  }
  return { ok: true, config: next };
};

/**
 * Decides the faults of one attempt from (seed, message sequence, attempt)
 * alone, so a run replays exactly whatever order deliveries finish in.
 * All draws are always taken, so changing one fraction never shifts another.
 *
 * @example
 * planFaults({ ...NO_FAULTS, drop: 1 }, 0, 0); // { drop: true, duplicate: false, hold: false, delayMs: 0 }
 */
export const planFaults = (config: FaultConfig, sequence: number, attempt: number): FaultPlan => {
  const next = createPrng(mixSeed(config.seed, sequence, attempt));
  const drop = next() < config.drop;
  const duplicate = next() < config.duplicate;
  const hold = next() < config.reorder;
  const delayed = next() < config.delay;
  const delayMs = Math.floor(next() * config.delayMs);
  if (drop) return { drop: true, duplicate: false, hold: false, delayMs: 0 };
  return { drop: false, duplicate, hold, delayMs: delayed ? delayMs : 0 };
};
