import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Point } from "../history/historySeries.ts";
import { formatValue, timeTicks, valueAxis } from "./chartScales.ts";
import { linePath, thinPoints } from "./linePath.ts";

export interface ChartSeries {
  name: string;
  color: string;
  points: readonly Point[];
  /** stroke width; draw wider lines first so one that lies on another still shows */
  width?: number;
}

export interface LineChartSpec {
  /** `data-chart` and the ids of its title and description */
  id: string;
  title: string;
  unit: string;
  from: number;
  to: number;
  series: readonly ChartSeries[];
  /** counts: whole-number ticks */
  integer?: boolean;
}

/** The drawing's own units (the viewBox); the page scales it to its column. */
export const chartBox = { width: 560, height: 190, left: 46, right: 14, top: 10, bottom: 24 };
const plot = {
  x: chartBox.left,
  y: chartBox.top,
  w: chartBox.width - chartBox.left - chartBox.right,
  h: chartBox.height - chartBox.top - chartBox.bottom,
};
/** about one point per two units of width: more would only be drawn on top of each other */
const maxPointsDrawn = 280;
const axisText = { size: 11, color: "#5a6275" };

/** The newest value of a line, null when it has none or ends in a gap. */
export const latestValue = (points: readonly Point[]): number | null => points.at(-1)?.[1] ?? null;

const visibleMax = (series: readonly ChartSeries[], from: number) =>
  Math.max(
    0,
    ...series.flatMap((s) => s.points.flatMap(([at, v]) => (v !== null && at >= from ? [v] : []))),
  );

/**
 * One line chart as inline SVG: a line per series over [from, to], a value
 * axis from 0 with round ticks, time ticks counted back from now. Accessible:
 * `role="img"` labelled by a title and a description holding each series'
 * latest value, and a tooltip per line. The plot's geometry and scales are
 * on the element (`data-from`, `data-to`, `data-y-max`, `data-plot`), so a
 * test can read values back from the drawn paths.
 *
 * @example
 * lineChart({ id: "applyRate", title: "Apply rate", unit: "events/s", from, to,
 *   series: [{ name: "eu", color: "#2563eb", points: [[from, 0], [to, 12]] }] });
 */
export function lineChart(spec: LineChartSpec): HtmlEscapedString {
  const from = Math.min(spec.from, spec.to - 1);
  const { top, ticks } = valueAxis(visibleMax(spec.series, from), spec.integer);
  const x = (at: number) => plot.x + ((at - from) / (spec.to - from)) * plot.w;
  const y = (v: number) => plot.y + plot.h - (Math.min(v, top) / top) * plot.h;
  const latest = spec.series
    .map((s) => `${s.name} ${formatValue(latestValue(s.points))}`)
    .join(", ");
  const description = spec.series.length
    ? `Latest ${spec.unit}: ${latest}.`
    : "No line to draw: no readers are configured.";
  const empty = spec.series.every((s) => s.points.length === 0);
  const bottom = plot.y + plot.h;
  return html`<svg data-chart="${spec.id}" viewBox="0 0 ${chartBox.width} ${chartBox.height}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" data-from="${from}" data-to="${spec.to}" data-y-max="${top}" data-plot="${plot.x} ${plot.y} ${plot.w} ${plot.h}">
<title id="${spec.id}-title">${spec.title} (${spec.unit})</title>
<desc id="${spec.id}-desc">${description}</desc>
<g font-size="${axisText.size}" fill="${axisText.color}">
${ticks.map(
  (v) =>
    html`<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? "#9aa1b1" : "#eceef2"}"/><text x="${plot.x - 6}" y="${y(v) + 4}" text-anchor="end">${formatValue(v)}</text>`,
)}
${timeTicks(from, spec.to).map(
  (t) =>
    html`<line x1="${x(t.at)}" x2="${x(t.at)}" y1="${bottom}" y2="${bottom + 4}" stroke="#9aa1b1"/><text x="${x(t.at)}" y="${chartBox.height - 6}" text-anchor="${t.label === "now" ? "end" : "middle"}">${t.label}</text>`,
)}
${empty ? html`<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h / 2}" text-anchor="middle">collecting samples…</text>` : ""}
</g>
<g fill="none" stroke-linejoin="round" stroke-linecap="round">
${spec.series.map(
  (s) =>
    html`<path data-series="${s.name}" stroke="${s.color}" stroke-width="${s.width ?? 2}" d="${linePath(thinPoints(s.points, maxPointsDrawn), x, y)}"><title>${s.name}: ${formatValue(latestValue(s.points))} ${spec.unit} (latest)</title></path>`,
)}
</g>
</svg>` as HtmlEscapedString;
}
