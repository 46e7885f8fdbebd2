import { type FaultConfig, type FaultPlan, planFaults, updateFaults } from "./faults.ts";

/** The live fault settings, switchable while the server runs. */
export interface FaultSwitch {
  config(): FaultConfig;
  /**
   * Applies a partial update. Setting `seed` (even to the same value) also
   * restarts the fault sequence at the next message, so a scenario run twice
   * after `{ seed }` meets the very same faults.
   */
  update(
    patch: Record<string, unknown>,
    nextSequence: number,
  ): { ok: true; config: FaultConfig } | { ok: false; error: string };
  plan(sequence: number, attempt: number): FaultPlan;
}

/**
 * @example
 * const faults = createFaultSwitch({ ...NO_FAULTS, drop: 0.1 });
 * faults.plan(message.sequence, message.retried);
 */
export const createFaultSwitch = (initial: FaultConfig): FaultSwitch => {
  let config = initial;
  let base = 0;
  return {
    config: () => ({ ...config }),
    update(patch, nextSequence) {
      const result = updateFaults(config, patch);
      if (!result.ok) return result;
      config = result.config;
      if (patch.seed !== undefined) base = nextSequence;
      return { ok: true, config: { ...config } };
    },
    plan: (sequence, attempt) => planFaults(config, sequence - base, attempt),
  };
};
