/**
 * A round step near `raw`: 1, 2 or 5 times a power of ten.
 *
 * @example
 * niceStep(0.3); // → 0.5
 * niceStep(130); // → 200
 */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/**
 * A value axis from 0 to a round top at or above `max`, in four or five
 * round steps; whole steps when the values are counts. An empty or flat-zero
 * line gets the axis of 1.
 *
 * @example
 * valueAxis(13); // → { top: 15, ticks: [0, 5, 10, 15] }
 * valueAxis(0.7); // → { top: 0.8, ticks: [0, 0.2, 0.4, 0.6, 0.8] }
 * valueAxis(3, true); // → { top: 3, ticks: [0, 1, 2, 3] }
 */
export function valueAxis(max: number, integer = false): { top: number; ticks: number[] } {
  const target = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = niceStep(target / 4);
  const step = integer ? Math.max(1, raw) : raw;
  const count = Math.ceil(target / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { top: ticks.at(-1) ?? 1, ticks };
}

const stepsSeconds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600];

const ago = (seconds: number, step: number) =>
  seconds === 0 ? "now" : step < 60 ? `−${seconds} s` : `−${seconds / 60} min`;

/**
 * Time ticks counted back from `to` in a round step, at most six of them,
 * labelled relative to now ("−30 s", "−2 min", "now"): no clock or time zone to
 * misread. Oldest first.
 *
 * @example
 * timeTicks(0, 600_000).map((t) => t.label);
 * // → ["−10 min", "−8 min", "−6 min", "−4 min", "−2 min", "now"]
 */
export function timeTicks(from: number, to: number): { at: number; label: string }[] {
  const span = Math.max(0, to - from) / 1_000;
  const step = stepsSeconds.find((s) => span / s <= 5) ?? 3_600;
  const ticks: { at: number; label: string }[] = [];
  for (let k = 0; to - k * step * 1_000 >= from; k++) {
    ticks.push({ at: to - k * step * 1_000, label: ago(k * step, step) });
  }
  return ticks.reverse();
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumSignificantDigits: 3 });

/**
 * A value as an axis or legend shows it: three significant digits, thousands
 * as K; "—" for none.
 *
 * @example
 * formatValue(1234); // → "1.23K"
 * formatValue(null); // → "—"
 */
export const formatValue = (value: number | null): string =>
  value === null ? "—" : compact.format(value);
