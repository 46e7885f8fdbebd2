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

  it("on a reader counts every request by route and status, reads' errors by code, the rest as before", async () => {
    h = await readerHarness({ waitBoundMs: 10 });
    await writeCatalogHistory(h.api, 10);
    await h.push(await h.log());
    const statuses = await Promise.all(
      [
        "/v1/categories/no-such-category/products?limit=abc",
        "/v1/products/no-such-product",
        "/v1/products/no-such-product",
        "/healthz",
        "/v1/nowhere",
      ].map(async (path) => (await h.app.request(`${readerUrl}${path}`)).status),
    );
    expect(statuses).toEqual([422, 404, 404, 200, 404]);
    const text = await scrape(() => h.app.request(`${readerUrl}/metrics`));
    const requests = (route: string, status: number) =>
      seriesValue(
        text,
        `cqrs_http_requests_total{method="GET",route="${route}",status="${status}"}`,
      );
    expect(requests("/v1/categories/:slug/products", 422)).toBe(1);
    expect(requests("/v1/products/:slug", 404)).toBe(2);
    expect(requests("/healthz", 200)).toBe(1);
    // no route matched: the metrics middleware's own pattern
    expect(requests("/*", 404)).toBe(1);
    expect(seriesValue(text, 'cqrs_errors_total{code="validation_failed"}')).toBe(1);
    expect(seriesValue(text, 'cqrs_http_request_seconds_count{route="/v1/products/:slug"}')).toBe(
      2,
    );
  });
});
