import type { Point } from "../history/historySeries.ts";

const fixed = (n: number) => String(Math.round(n * 10) / 10);

/**
 * An SVG path through the points, oldest first: `M x y L x y …`, starting
 * again with `M` after each null (a gap stays a gap), a lone point drawn as a
 * zero-length segment that a round line cap shows as a dot. Coordinates to
 * one decimal.
 *
 * @example
 * linePath([[0, 1], [1, null], [2, 3], [3, 4]], (t) => t * 10, (v) => 100 - v);
 * // → "M0 99L0 99M20 97L30 96"
 */
export function linePath(
  points: readonly Point[],
  x: (at: number) => number,
  y: (value: number) => number,
): string {
  let d = "";
  let segment: string[] = [];
  const close = () => {
    if (segment.length === 1) segment.push(segment[0] as string);
    if (segment.length > 0) d += `M${segment.join("L")}`;
    segment = [];
  };
  for (const [at, value] of points) {
    if (value === null) close();
    else segment.push(`${fixed(x(at))} ${fixed(y(value))}`);
  }
  close();
  return d;
}

/**
 * At most `max` points for drawing: the span cut into `max` equal slices,
 * each kept as its highest point (a burst or a lag spike survives thinning),
 * or as a gap when it holds only gaps. Fewer points pass through unchanged.
 *
 * @example
 * thinPoints([[0, 1], [1, 5], [2, 2], [3, 0]], 2); // → [[1, 5], [2, 2]]
 */
export function thinPoints(points: readonly Point[], max: number): readonly Point[] {
  if (points.length <= max || points.length === 0) return points;
  const first = (points[0] as Point)[0];
  const width = ((points.at(-1) as Point)[0] - first) / max || 1;
  const slices: Point[] = [];
  let slice = -1;
  for (const p of points) {
    const i = Math.min(max - 1, Math.floor((p[0] - first) / width));
    const kept = slices.at(-1);
    if (i !== slice || !kept) {
      slices.push(p);
      slice = i;
    } else if (p[1] !== null && (kept[1] === null || p[1] > kept[1])) {
      slices[slices.length - 1] = p;
    }
  }
  return slices;
}
