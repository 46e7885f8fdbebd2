import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Point, RegionHistory, ReplicationHistory } from "../history/historySeries.ts";
import { formatValue } from "./chartScales.ts";
import { type ChartSeries, latestValue, lineChart } from "./lineChart.ts";

/** A region's colour by its place in the settings, the same on every chart; dark for the primary. */
const regionColors = ["#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2"];
const primaryColor = "#1d2330";

const colorOf = (i: number) => regionColors[i % regionColors.length] as string;
// Regions that keep up draw the same line: each drawn thinner than the one before, over it,
// so the ones below show as bands along its edges.
const widthOf = (i: number) => [4.5, 3][i] ?? 1.5;

const swatch = (color: string) =>
  html`<svg width="16" height="4" aria-hidden="true"><rect width="16" height="4" rx="1" fill="${color}"/></svg>`;

const legend = (series: readonly ChartSeries[]) =>
  html`<ul class="legend">${series.map(
    (s) =>
      html`<li data-series="${s.name}">${swatch(s.color)} ${s.name} <b>${formatValue(latestValue(s.points))}</b></li>`,
  )}</ul>`;

interface ChartDef {
  id: string;
  title: string;
  unit: string;
  what: string;
  integer?: boolean;
  series: ChartSeries[];
}

const figure = (h: ReplicationHistory, c: ChartDef) =>
  html`<figure class="chart" data-testid="chart-${c.id}">
<figcaption><b>${c.title}</b> <span class="muted">${c.unit} · ${c.what}</span></figcaption>
${legend(c.series)}
${lineChart({ ...c, from: h.from, to: h.to })}
</figure>`;

const perRegion = (h: ReplicationHistory, line: (r: RegionHistory) => Point[]): ChartSeries[] =>
  h.regions.map((r, i) => ({
    name: r.region,
    color: colorOf(i),
    width: widthOf(i),
    points: line(r),
  }));

const span = (ms: number) =>
  ms < 1_000
    ? `${ms} ms`
    : ms < 120_000
      ? `${Number((ms / 1_000).toFixed(1))} s`
      : `${Number((ms / 60_000).toFixed(1))} min`;

/**
 * The history section: the primary's write rate, and per region (one line
 * each) the apply rate, the lag in events and in ms, and the reads handed to
 * the primary per second, over the window the write API keeps. Null: the
 * write API samples no history.
 *
 * @example
 * c.html(historyCharts(sampler.history(Date.now())));
 */
export function historyCharts(h: ReplicationHistory | null): HtmlEscapedString {
  if (!h) {
    return html`<section data-testid="history" data-enabled="false"><h2>History</h2>
<p class="muted">This write API samples no history (no dashboard settings).</p></section>` as HtmlEscapedString;
  }
  const charts: ChartDef[] = [
    {
      id: "writeRate",
      title: "Primary write rate",
      unit: "events/s",
      what: "events committed per second",
      series: [{ name: "primary", color: primaryColor, points: h.writeRate }],
    },
    {
      id: "applyRate",
      title: "Apply rate",
      unit: "events/s",
      what: "events each region applied per second",
      series: perRegion(h, (r) => r.applyRate),
    },
    {
      id: "lagEvents",
      title: "Lag",
      unit: "events",
      what: "primary head − region watermark",
      integer: true,
      series: perRegion(h, (r) => r.lagEvents),
    },
    {
      id: "lagMs",
      title: "Lag",
      unit: "ms",
      what: "age of the oldest event not yet applied",
      integer: true,
      series: perRegion(h, (r) => r.lagMs),
    },
    {
      id: "fallbackRate",
      title: "Primary fallbacks",
      unit: "reads/s",
      what: "reads each region handed to the primary",
      series: perRegion(h, (r) => r.fallbackRate),
    },
  ];
  return html`<section data-testid="history" data-enabled="true">
<h2>History <small class="muted">last ${span(h.to - h.from)}, sampled every ${span(h.sampleMs)}, kept for ${span(h.windowMs)}</small></h2>
<div class="charts">
${charts.map((c) => figure(h, c))}
<div class="chart-notes muted">
<p><b>Lag (ms)</b> is the age of the oldest event a region has not applied: the sample's time minus that event's commit time in the primary's log, both on the write API's clock; 0 when the region is at the head.</p>
<p>Rates are the change between two consecutive samples divided by the time between them: of the primary's head (writes), of each region's watermark (applies), and of each reader's <code>primaryFallbacks</code> count in its <code>/v1/status</code> (counted per process; per isolate on Workers). A gap is a sample where the region or the primary did not answer.</p>
</div>
</div>
</section>` as HtmlEscapedString;
}
