import { afterEach, describe, expect, it, vi } from "vitest";
import type { StoredEvent } from "../events/types.ts";
import { eventRangeFields } from "./eventFields.ts";
import { consoleSink, createLogger, memorySink, parseLogLevel } from "./logger.ts";

const at = Date.UTC(2026, 10, 25, 10, 0, 0);
afterEach(() => vi.restoreAllMocks());

describe("structured logger", () => {
  it("writes one object per call: time, level, msg, then the fields", () => {
    const { sink, lines } = memorySink();
    const log = createLogger({ sink, level: "debug", now: () => at }).child({ region: "fra" });
    log.info("reader applied", { seqFrom: 1, seqTo: 3 });
    log.child({ runtime: "bun" }).debug("details", { region: "ams" });
    expect(lines).toEqual([
      {
        time: "2026-11-25T10:00:00.000Z",
        level: "info",
        msg: "reader applied",
        region: "fra",
        seqFrom: 1,
        seqTo: 3,
      },
      {
        time: "2026-11-25T10:00:00.000Z",
        level: "debug",
        msg: "details",
        region: "ams",
        runtime: "bun",
      },
    ]);
    // in that order: a field given again keeps its place and takes the newer value
    expect(JSON.stringify(lines[1])).toBe(
      '{"time":"2026-11-25T10:00:00.000Z","level":"debug","msg":"details","region":"ams","runtime":"bun"}',
    );
  });

  it("drops lines below its level, and reads LOG_LEVEL when given none", () => {
    const { sink, lines } = memorySink();
    const log = createLogger({ sink, level: "WARN" });
    log.debug("a");
    log.info("b");
    log.warn("c");
    log.error("d");
    expect(lines.map((l) => l.msg)).toEqual(["c", "d"]);
    vi.stubEnv("LOG_LEVEL", "error");
    const fromEnv = memorySink();
    createLogger({ sink: fromEnv.sink }).warn("hidden");
    expect(fromEnv.lines).toEqual([]);
    vi.unstubAllEnvs();
  });

  it.each([
    ["debug", "debug"],
    [" Error ", "error"],
    ["verbose", "info"],
    [undefined, "info"],
  ] as const)("parses LOG_LEVEL %j as %s", (value, level) => {
    expect(parseLogLevel(value)).toBe(level);
  });

  it("shows an error's name and message rather than {}", () => {
    const { sink, lines } = memorySink();
    createLogger({ sink }).error("relay publish failed", { error: new TypeError("boom") });
    expect(JSON.parse(JSON.stringify(lines[0]))).toMatchObject({
      error: { name: "TypeError", message: "boom" },
    });
  });

  it("prints JSON lines on the console: stdout for info, stderr for warn and error", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = createLogger({ sink: consoleSink, level: "info", now: () => at });
    log.info("up", { port: 8080 });
    log.warn("slow");
    expect(out.mock.calls).toEqual([
      ['{"time":"2026-11-25T10:00:00.000Z","level":"info","msg":"up","port":8080}'],
    ]);
    expect(JSON.parse(String(err.mock.calls[0]?.[0]))).toMatchObject({ level: "warn" });
  });
});

describe("event range fields", () => {
  const event = (seq: number, requestId?: string) =>
    ({
      seq,
      type: "product.published",
      aggregateId: "prd_1",
      data: { id: "prd_1" },
      at: "t",
      ...(requestId && { meta: { requestId } }),
    }) as StoredEvent;

  it("names the seq range and the distinct request ids, past a watermark", () => {
    const batch = [event(4, "a"), event(5, "b"), event(6, "b"), event(7)];
    expect(eventRangeFields(batch)).toEqual({
      seqFrom: 4,
      seqTo: 7,
      events: 4,
      requestIds: ["a", "b"],
    });
    expect(eventRangeFields(batch, 5)).toEqual({
      seqFrom: 6,
      seqTo: 7,
      events: 2,
      requestIds: ["b"],
    });
  });
});
