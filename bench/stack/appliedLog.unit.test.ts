import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appliedLines, firstAppliedAt, logSize, readFrom } from "./appliedLog.ts";

const line = (time: string, watermark: number, msg = "reader applied") =>
  JSON.stringify({ time, level: "info", msg, region: "us-bun", via: "push", watermark });

describe("a reader's applies from its log", () => {
  it("keeps the reader applied lines in order, each with the highest watermark so far", () => {
    const text = [
      "Listening on 127.0.0.1:8092",
      line("2026-12-05T10:00:00.005Z", 7),
      line("2026-12-05T10:00:00.006Z", 9, "reconcile failed"),
      "{not json",
      // a catch-up that logs after a later push: the watermark stays at the highest
      line("2026-12-05T10:00:00.010Z", 12),
      line("2026-12-05T10:00:00.011Z", 10),
      line("2026-12-05T10:00:00.020Z", 15),
      "",
    ].join("\n");
    expect(appliedLines(text)).toEqual([
      { at: Date.parse("2026-12-05T10:00:00.005Z"), watermark: 7 },
      { at: Date.parse("2026-12-05T10:00:00.010Z"), watermark: 12 },
      { at: Date.parse("2026-12-05T10:00:00.011Z"), watermark: 12 },
      { at: Date.parse("2026-12-05T10:00:00.020Z"), watermark: 15 },
    ]);
  });

  it("says when a version became visible: the first apply whose watermark reached it", () => {
    const lines = [
      { at: 10, watermark: 3 },
      { at: 12, watermark: 9 },
      { at: 15, watermark: 9 },
      { at: 20, watermark: 14 },
    ];
    expect(firstAppliedAt(lines, 1)).toBe(10);
    expect(firstAppliedAt(lines, 3)).toBe(10);
    expect(firstAppliedAt(lines, 4)).toBe(12);
    expect(firstAppliedAt(lines, 9)).toBe(12);
    expect(firstAppliedAt(lines, 14)).toBe(20);
    expect(firstAppliedAt(lines, 15)).toBeNull();
    expect(firstAppliedAt([], 1)).toBeNull();
  });

  it("reads a log from where it stood, not the lines written before", () => {
    const dir = mkdtempSync(join(tmpdir(), "applied-log-"));
    try {
      const path = join(dir, "us-bun.log");
      expect(logSize(path)).toBe(0);
      writeFileSync(path, `${line("2026-12-05T10:00:00.005Z", 7)}\n`);
      const offset = logSize(path);
      writeFileSync(path, `${line("2026-12-05T10:00:00.009Z", 8)}\n`, { flag: "a" });
      expect(appliedLines(readFrom(path, offset)).map((a) => a.watermark)).toEqual([8]);
      expect(readFrom(path, logSize(path))).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
