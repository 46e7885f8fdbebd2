import { expect } from "vitest";
import type { Command } from "../../shared/commands/schemas.ts";
import { AppError, type ErrorCode } from "../../shared/errors/index.ts";
import type { NewEvent } from "../../shared/events/types.ts";
import type { Decision, IdSource } from "./decide.ts";
import type { DecisionState } from "./decisionState.ts";

type Decide = (command: Command, state: DecisionState, ids: IdSource) => Decision;

export interface DeciderThen {
  /** the exact events; the decision must also name their aggregate as its `id` */
  then(events: NewEvent[]): void;
  /** an AppError with this code (and these details, when given) and no events */
  thenThrows(code: ErrorCode, details?: unknown): void;
}

/**
 * Given/when/then for a decider, after Emmett's `DeciderSpecification`. The
 * state is what `loadDecisionState` would have read; it must come out of the
 * decision unchanged, since a decider that mutates it would be deciding on
 * what the transaction then writes.
 *
 * @example
 * const spec = DeciderSpecification.for(decide, { category: () => "cat_new", product: () => "prd_new" });
 * spec.given({ product: lamp }).when({ type: "product.archive", id: "prd_lamp" })
 *   .then([{ type: "product.archived", aggregateId: "prd_lamp", data: { id: "prd_lamp" } }]);
 */
export const DeciderSpecification = {
  for: (decide: Decide, ids: IdSource) => ({
    given: (state: DecisionState) => ({
      when: (command: Command): DeciderThen => {
        const before = structuredClone(state);
        const run = () => {
          try {
            return { decision: decide(command, state, ids) } as const;
          } catch (error) {
            return { error } as const;
          } finally {
            expect(state, "the decider changed its state").toStrictEqual(before);
          }
        };
        return {
          // biome-ignore lint/suspicious/noThenProperty: Emmett's given/when/then wording; `then` takes events, nothing awaits this object
          then(events) {
            const outcome = run();
            expect(outcome.error, "the decider refused").toBeUndefined();
            expect(outcome.decision?.events).toStrictEqual(events);
            expect(outcome.decision?.id).toBe(events[0]?.aggregateId);
          },
          thenThrows(code, details) {
            const { decision, error } = run();
            expect(decision?.events, "the decider accepted").toBeUndefined();
            expect(error).toBeInstanceOf(AppError);
            expect((error as AppError).code).toBe(code);
            if (details !== undefined) expect((error as AppError).details).toStrictEqual(details);
          },
        };
      },
    }),
  }),
};
