import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { saveScreenshot, useChromium } from "./chromium.ts";
import { useTestStack } from "./testStack.ts";

const browser = useChromium("the dashboard charts' browser test");

// Sampled every 250 ms, so a burst of writes spans several samples.
const t = useTestStack("dashboard-charts", { DASHBOARD_HISTORY_SAMPLE_MS: "250" });

type Line = [at: number, value: number][];
type Charts = Record<string, Record<string, Line>>;

/**
 * Every chart on the page as drawn: each path's points read back into
 * [time, value] through the scales its SVG carries, so what is checked is
 * what the operator sees, not the JSON behind it.
 */
const drawnCharts = (page: Page): Promise<Charts> =>
  page.$$eval("svg[data-chart]", (svgs) =>
    Object.fromEntries(
      svgs.map((svg) => {
        const n = (name: string) => Number(svg.getAttribute(name));
        const [left = 0, top = 0, width = 1, height = 1] = (svg.getAttribute("data-plot") ?? "")
          .split(" ")
          .map(Number);
        const [from, to, yMax] = [n("data-from"), n("data-to"), n("data-y-max")];
        const lines = [...svg.querySelectorAll("path[data-series]")].map((path) => {
          const d = path.getAttribute("d") ?? "";
          const points = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map(([, x, y]) => [
            from + ((Number(x) - left) / width) * (to - from),
            ((top + height - Number(y)) / height) * yMax,
          ]);
          return [path.getAttribute("data-series") ?? "", points];
        });
        return [svg.getAttribute("data-chart") ?? "", Object.fromEntries(lines)];
      }),
    ),
  );

/** Reads the charts until `ok` holds of them; past the deadline, fails saying what was drawn. */
const chartsWhere = async (page: Page, ok: (c: Charts) => boolean, what: string) => {
  const until = Date.now() + 90_000;
  let charts = await drawnCharts(page);
  while (!ok(charts)) {
    if (Date.now() > until)
      throw new Error(`the charts never showed ${what}: ${JSON.stringify(charts)}`);
    await page.waitForTimeout(500);
    charts = await drawnCharts(page);
  }
  return charts;
};

const risesAfter = (line: Line | undefined, at: number) =>
  (line ?? []).some(([time, value]) => time > at && value > 0);

describe("the dashboard's history charts in a browser", () => {
  it("has Chromium", () => {
    browser.expectFound();
  });

  it("draws history from before the page opened, follows a burst of writes, and is screenshotted", async () => {
    const { stack } = t.launched;
    const regions = stack.readers.map((r) => r.region);
    expect(regions).toHaveLength(4);
    const context = await browser.get().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.writeApi.url}/dashboard`);
      await page.fill('input[name="token"]', stack.tokens.admin);
      const openedAt = Date.now();
      await Promise.all([
        page.waitForSelector('svg[data-chart="applyRate"]'),
        page.click('button[type="submit"]'),
      ]);

      // The first paint already has lines the write API sampled before the page asked.
      const first = await drawnCharts(page);
      expect(Object.keys(first)).toEqual([
        "writeRate",
        "applyRate",
        "lagEvents",
        "lagMs",
        "fallbackRate",
      ]);
      expect(first.writeRate?.primary?.some(([at]) => at < openedAt)).toBe(true);
      for (const chart of ["applyRate", "lagEvents", "lagMs", "fallbackRate"]) {
        expect(Object.keys(first[chart] ?? {}).sort(), chart).toEqual([...regions].sort());
        for (const region of regions) {
          expect(first[chart]?.[region]?.length, `${chart} ${region}`).toBeGreaterThan(1);
        }
      }

      // A stretch of quiet first, so the burst stands out on the charts (and in the screenshot).
      await page.waitForFunction(
        () => {
          const svg = document.querySelector('svg[data-chart="writeRate"]');
          return (
            Number(svg?.getAttribute("data-to")) - Number(svg?.getAttribute("data-from")) >= 30_000
          );
        },
        undefined,
        { timeout: 120_000 },
      );

      // A burst: 20 atomic batches of 25 commands, back to back.
      const burstAt = Date.now();
      for (let batch = 0; batch < 20; batch++) {
        const res = await t.client.command({
          commands: Array.from({ length: 25 }, (_, i) => ({
            type: "category.create",
            slug: `chart-burst-${batch}-${i}`,
            name: `Chart burst ${batch}.${i}`,
          })),
        });
        expect(res.status).toBe(200);
      }
      const { head } = await t.client.converged();
      const convergedAt = Date.now();

      // The primary's write rate rises and every region's apply rate shows the burst
      // after it began; once converged, every region's lag comes back down to 0.
      const charts = await chartsWhere(
        page,
        (c) =>
          risesAfter(c.writeRate?.primary, burstAt) &&
          regions.every((r) => risesAfter(c.applyRate?.[r], burstAt)) &&
          regions.every((r) =>
            ["lagEvents", "lagMs"].every((chart) => {
              const last = c[chart]?.[r]?.at(-1);
              return last !== undefined && last[0] > convergedAt && last[1] === 0;
            }),
          ),
        "the burst and lag back to 0",
      );
      expect(Object.keys(charts.applyRate ?? {}).sort()).toEqual([...regions].sort());
      expect(await page.textContent('[data-testid="primary-head"]')).toBe(String(head));

      // Each chart says in words what it shows and the latest value of each line.
      const lagDescription = await page.textContent("#lagEvents-desc");
      for (const region of regions) expect(lagDescription).toContain(`${region} 0`);
      expect(await page.getAttribute('svg[data-chart="lagMs"]', "aria-labelledby")).toBe(
        "lagMs-title lagMs-desc",
      );
      expect(await page.textContent("#lagMs-title")).toBe("Lag (ms)");
      expect(await page.textContent('[data-testid="history"]')).toContain(
        "age of the oldest event a region has not applied",
      );

      // Some quiet after the burst too, so the picture does not end on it.
      await page.waitForFunction(
        (since) =>
          Number(document.querySelector('svg[data-chart="writeRate"]')?.getAttribute("data-to")) -
            since >=
          8_000,
        convergedAt,
        { timeout: 60_000 },
      );
      await saveScreenshot(page, "dashboard-charts.png");
    } finally {
      await context.close();
    }
  }, 240_000);
});
