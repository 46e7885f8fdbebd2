/**
 * A token bucket for reads handed to the primary: `perSecond` sustained,
 * `burst` at once. Signed tokens stop a client from inventing versions, but
 * many honest clients writing at once (or `?minVersion=`) could still flood the
 * primary from every region; past the budget a reader answers 503 instead.
 */
export function fallbackBudget(perSecond: number, burst: number, now: () => number = Date.now) {
  let tokens = burst;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export type FallbackBudget = ReturnType<typeof fallbackBudget>;
