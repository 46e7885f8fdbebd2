import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.ts";

describe("metrics", () => {
  const declared = {
    cqrs_things_total: { type: "counter", help: "things" },
    cqrs_apply_seconds: { type: "histogram", help: "apply time", buckets: [0.1, 1] },
  } as const;

  it("renders counters, histograms and gauges in Prometheus text format", async () => {
    const m = createMetrics(declared);
    m.inc("cqrs_things_total", { kind: 'a"b' });
    m.inc("cqrs_things_total", { kind: 'a"b' }, 2);
    m.observe("cqrs_apply_seconds", 0.05);
    m.observe("cqrs_apply_seconds", 0.5);
    m.gauge("cqrs_watermark", "the watermark", () => 42);
    const text = await m.render();
    expect(text).toContain('cqrs_things_total{kind="a\\"b"} 3');
    expect(text).toContain('cqrs_apply_seconds_bucket{le="0.1"} 1');
    expect(text).toContain('cqrs_apply_seconds_bucket{le="1"} 2');
    expect(text).toContain('cqrs_apply_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain("cqrs_apply_seconds_count 2");
    expect(text).toContain("# TYPE cqrs_watermark gauge\ncqrs_watermark 42");
  });

  it("counts the same labels given in another order as one series", async () => {
    const m = createMetrics(declared);
    m.inc("cqrs_things_total", { a: "1", b: "2" });
    m.inc("cqrs_things_total", { b: "2", a: "1" }, 2);
    m.observe("cqrs_apply_seconds", 0.05, { x: "1", y: "2" });
    m.observe("cqrs_apply_seconds", 0.5, { y: "2", x: "1" });
    const lines = (await m.render()).split("\n");
    expect(lines.filter((l) => l.startsWith("cqrs_things_total{"))).toEqual([
      'cqrs_things_total{a="1",b="2"} 3',
    ]);
    expect(lines.filter((l) => l.startsWith("cqrs_apply_seconds_count"))).toEqual([
      'cqrs_apply_seconds_count{x="1",y="2"} 2',
    ]);
  });

  it("counts through a series handle into the same series as inc and observe", async () => {
    const m = createMetrics(declared);
    const things = m.counter("cqrs_things_total", { kind: "x" });
    things.inc();
    things.inc(2);
    m.inc("cqrs_things_total", { kind: "x" });
    const apply = m.histogram("cqrs_apply_seconds", { store: "sql" });
    apply.observe(0.05);
    m.observe("cqrs_apply_seconds", 0.5, { store: "sql" });
    const text = await m.render();
    expect(text).toContain('cqrs_things_total{kind="x"} 4');
    expect(text).toContain('cqrs_apply_seconds_bucket{store="sql",le="0.1"} 1');
    expect(text).toContain('cqrs_apply_seconds_count{store="sql"} 2');
    expect(() => m.counter("cqrs_apply_seconds")).toThrow(/not a declared counter/);
  });

  it("refuses undeclared names", () => {
    const m = createMetrics(declared);
    expect(() => m.inc("cqrs_thing_total")).toThrow(/not a declared counter/);
    expect(() => m.observe("cqrs_things_total", 1)).toThrow(/not a declared histogram/);
  });
});
