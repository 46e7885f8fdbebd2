import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { CatchUp } from "../catchUp/catchUp.ts";

/**
 * Gives a lagging replica a bounded chance to catch up: starts a catch-up
 * pull and waits for it, at most `boundMs`. Returns the watermark reached;
 * the pull goes on in the background if the bound ran out.
 */
export async function waitForCatchUp(
  store: ViewStore,
  catchUp: CatchUp,
  boundMs: number,
  background: (work: Promise<unknown>) => void,
): Promise<number> {
  const pull = catchUp.run().catch(() => undefined);
  background(pull);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, boundMs);
  });
  await Promise.race([pull, bound]);
  clearTimeout(timer);
  return store.watermark();
}
