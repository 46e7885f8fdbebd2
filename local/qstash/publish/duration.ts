const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+[smhd])+$/;
const PART = /(\d+)([smhd])/g;

/**
 * Parses a QStash duration header value (`Upstash-Delay`, `Upstash-Timeout`):
 * a number followed by s, m, h or d, parts may be chained (`1h30m`); a bare
 * number means seconds, which is what the SDK's numeric `delay` becomes.
 * Returns milliseconds, or `undefined` when the value is not a duration.
 *
 * @example
 * parseDurationMs("90s"); // 90_000
 * parseDurationMs("1h30m"); // 5_400_000
 */
export const parseDurationMs = (value: string): number | undefined => {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
};
