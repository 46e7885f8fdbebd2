import { afterEach, describe, expect, it } from "vitest";
import { categoryCreate } from "../../write-api/testing/catalogFixtures.ts";
import { writeCatalogHistory } from "./catalogHistory.ts";
import { type Harness, readerHarness, readerUrl } from "./readerHarness.ts";

let h: Harness;
afterEach(() => h.close());

const scrape = async (fetchMetrics: () => Response | Promise<Response>) => {
  const res = await fetchMetrics();
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
};

/** The value of one series line, e.g. `cqrs_commands_total{type="category.create"}`. */
const seriesValue = (text: string, series: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
};

describe("/metrics", () => {
  it("on the write API counts commands, events, errors by code and requests by route", async () => {
    h = await readerHarness();
    expect(
      (await h.api.command({ commands: [categoryCreate("a"), categoryCreate("b")] })).status,
    ).toBe(200);
    expect((await h.api.command(categoryCreate("a"))).status).toBe(409);
    const text = await scrape(() => h.api.app.request("http://primary.test/metrics"));
    expect(seriesValue(text, 'cqrs_commands_total{type="category.create"}')).toBe(2);
    expect(seriesValue(text, "cqrs_events_appended_total")).toBe(2);
    expect(seriesValue(text, 'cqrs_errors_total{code="duplicate"}')).toBe(1);
    expect(
      seriesValue(
        text,
        'cqrs_http_requests_total{method="POST",route="/v1/commands",status="409"}',
      ),
    ).toBe(1);
    expect(seriesValue(text, "cqrs_log_head")).toBe(2);
  });

  it("on a reader counts applies by result, reads by who served them, and the lag", async () => {
    h = await readerHarness({ waitBoundMs: 10 });
    await writeCatalogHistory(h.api, 10);
    const log = await h.log();
    await h.push(log);
    await h.push(log);
    await h.app.request(`${readerUrl}/v1/categories`);
    const text = await scrape(() => h.app.request(`${readerUrl}/metrics`));
    expect(seriesValue(text, 'cqrs_apply_total{result="applied"}')).toBe(1);
    expect(seriesValue(text, 'cqrs_apply_total{result="duplicate"}')).toBe(1);
    expect(seriesValue(text, "cqrs_events_applied_total")).toBe(log.length);
    expect(seriesValue(text, "cqrs_apply_seconds_count")).toBe(2);
    expect(seriesValue(text, 'cqrs_reads_total{served_by="replica"}')).toBe(1);
    expect(seriesValue(text, "cqrs_replica_watermark")).toBe(log.at(-1)?.seq);
    expect(seriesValue(text, "cqrs_replica_lag_events")).toBe(0);
    expect(text).toContain(
      'cqrs_http_requests_total{method="GET",route="/v1/categories",status="200"} 1',
    );
  });
});
