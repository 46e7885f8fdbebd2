import type { SelfHeal } from "../selfHeal/selfHeal.ts";
import type { CatchUp } from "./catchUp.ts";

/**
 * One reconcile, on a timer (Node, Bun, Deno) or a cron tick (Workers): pull
 * whatever pushes never brought, then let self-heal compare the views with
 * the primary's, which it can only do once caught up. Resolves to the build
 * step a heal began, for a Worker's `waitUntil`.
 *
 * @example
 * const reconcile = reconcileOnce(reader.catchUp, reader.selfHeal);
 * await reconcile(); // → { work: undefined } when nothing needed healing
 */
export const reconcileOnce =
  (catchUp: CatchUp, selfHeal?: SelfHeal) => async (): Promise<{ work?: Promise<unknown> }> => {
    await catchUp.run();
    const heal = await selfHeal?.check();
    return { work: heal?.work };
  };
