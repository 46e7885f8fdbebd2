import { describe, expect, it } from "vitest";
import type { ReplicationHistory } from "../history/historySeries.ts";
import { historyCharts } from "./historyCharts.ts";
import { lineChart } from "./lineChart.ts";

const to = Date.parse("2026-01-01T00:10:00.000Z");
const from = to - 60_000;
const attr = (svg: string, name: string) => svg.match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? "";

/** The points a path draws, read back into [time, value] through the chart's own scales. */
const drawn = (svg: string, series: string): [number, number][] => {
  const d = svg.match(new RegExp(`data-series="${series}"[^>]*d="([^"]*)"`))?.[1] ?? "";
  const [left, top, width, height] = attr(svg, "data-plot").split(" ").map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const [f, t, yMax] = ["data-from", "data-to", "data-y-max"].map((a) => Number(attr(svg, a))) as [
    number,
    number,
    number,
  ];
  return [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map(([, x, y]) => [
    Math.round(f + ((Number(x) - left) / width) * (t - f)),
    Number((((top + height - Number(y)) / height) * yMax).toFixed(2)),
  ]);
};

describe("lineChart", () => {
  const svg = String(
    lineChart({
      id: "applyRate",
      title: "Apply rate",
      unit: "events/s",
      from,
      to,
      series: [
        {
          name: "eu",
          color: "#2563eb",
          points: [
            [from, 0],
            [from + 30_000, 12],
            [to, 3],
          ],
        },
        {
          name: "us",
          color: "#d97706",
          points: [
            [from, 0],
            [from + 30_000, null],
            [to, 0],
          ],
        },
      ],
    }),
  );

  it("draws one path per series whose points read back as the values", () => {
    expect(drawn(svg, "eu")).toEqual([
      [from, 0],
      [from + 30_000, 12],
      [to, 3],
    ]);
    // the gap is a new move, and both ends are still there
    expect(attr(svg.slice(svg.indexOf('data-series="us"')), "d")).toMatch(/^M[^M]+M[^M]+$/);
    expect(Number(attr(svg, "data-y-max"))).toBeGreaterThanOrEqual(12);
  });

  it("is an image labelled by its title, with each series' latest value in its description and tooltips", () => {
    expect(svg).toMatch(
      /^<svg data-chart="applyRate"[^>]* role="img" aria-labelledby="applyRate-title applyRate-desc"/,
    );
    expect(svg).toContain('<title id="applyRate-title">Apply rate (events/s)</title>');
    expect(svg).toContain('<desc id="applyRate-desc">Latest events/s: eu 3, us 0.</desc>');
    expect(svg).toContain("<title>eu: 3 events/s (latest)</title>");
  });

  it("labels both axes: round values from 0, time back to now", () => {
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, text]) => text);
    expect(labels).toEqual(expect.arrayContaining(["0", "5", "10", "15", "−60 s", "−30 s", "now"]));
  });

  it("escapes names and says when there is nothing yet", () => {
    const empty = String(
      lineChart({
        id: "lagMs",
        title: "Lag",
        unit: "ms",
        from,
        to,
        series: [{ name: '<eu & "x">', color: "#000", points: [] }],
      }),
    );
    expect(empty).toContain('data-series="&lt;eu &amp; &quot;x&quot;&gt;"');
    expect(empty).not.toContain("<eu");
    expect(empty).toContain("collecting samples…");
  });
});

describe("historyCharts", () => {
  const history: ReplicationHistory = {
    sampleMs: 2_000,
    windowMs: 600_000,
    from,
    to,
    writeRate: [
      [from, 0],
      [to, 40],
    ],
    regions: ["eu", "us"].map((region) => ({
      url: `http://${region}.test/v1/status`,
      region,
      lagEvents: [[to, 1]],
      lagMs: [[to, 250]],
      applyRate: [[to, 40]],
      fallbackRate: [[to, 0.5]],
    })),
  };

  it("a chart for the write rate and, one line per region, apply rate, lag in events and ms, fallbacks", () => {
    const page = String(historyCharts(history));
    const charts = [...page.matchAll(/<svg data-chart="(\w+)"/g)].map(([, id]) => id);
    expect(charts).toEqual(["writeRate", "applyRate", "lagEvents", "lagMs", "fallbackRate"]);
    for (const id of charts.slice(1)) {
      const svg = page.slice(page.indexOf(`data-chart="${id}"`));
      const paths = [...svg.slice(0, svg.indexOf("</svg>")).matchAll(/<path data-series="(\w+)"/g)];
      expect(
        paths.map(([, s]) => s),
        id,
      ).toEqual(["eu", "us"]);
    }
    expect(page).toContain('<li data-series="eu">');
    expect(page).toContain("last 60 s, sampled every 2 s, kept for 10 min");
    expect(page).toContain("age of the oldest event a region has not applied");
    // a region keeps its colour and width from chart to chart; one lying on another still shows
    const strokes = (region: string) =>
      new Set(
        [
          ...page.matchAll(
            new RegExp(`data-series="${region}" stroke="(#\\w+)" stroke-width="([\\d.]+)"`, "g"),
          ),
        ].map(([, colour, width]) => `${colour} ${width}`),
      );
    expect(strokes("eu").size).toBe(1);
    expect(strokes("us").size).toBe(1);
    const [eu = "", us = ""] = [...strokes("eu"), ...strokes("us")];
    expect(eu.split(" ")[0]).not.toBe(us.split(" ")[0]);
    expect(Number(eu.split(" ")[1])).toBeGreaterThan(Number(us.split(" ")[1]));
  });

  it("says so when the write API keeps no history", () => {
    const page = String(historyCharts(null));
    expect(page).toContain('data-enabled="false"');
    expect(page).not.toContain("<svg");
  });
});
