import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRebuildArgs } from "./args.ts";
import { formatProgress, progressReporter } from "./progress.ts";

const at = (watermark: number, elapsedMs = 1_000) => ({
  watermark,
  head: 1_000,
  from: 0,
  applied: watermark,
  elapsedMs,
});

describe("progress", () => {
  it("draws a bar with percent, counts and rate", () => {
    expect(formatProgress(at(500))).toBe(
      "[###############---------------]  50.0%  500/1,000 events  500 events/s",
    );
  });

  it("prints a line per tenth when stderr is not a terminal", () => {
    const lines: string[] = [];
    const progress = progressReporter({ write: (t) => lines.push(t), isTTY: false });
    for (let w = 50; w <= 1_000; w += 50) progress.update(at(w));
    progress.done();
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => l.endsWith("\n") && !l.includes("\r"))).toBe(true);
  });

  it("redraws in place on a terminal, at most ten times a second, and ends the line", () => {
    const writes: string[] = [];
    let clock = 0;
    const progress = progressReporter({ write: (t) => writes.push(t), isTTY: true }, () => clock);
    for (let w = 10; w <= 1_000; w += 10) {
      clock += 20;
      progress.update(at(w));
    }
    progress.done();
    expect(writes.at(-2)).toContain("100.0%");
    expect(writes.at(-1)).toBe("\n");
    expect(writes.length).toBeLessThanOrEqual(22);
    expect(writes.slice(0, -1).every((w) => w.startsWith("\r"))).toBe(true);
  });
});

describe("arguments", () => {
  it("default the source and token from .data/stack.json, the env winning for the token", () => {
    const cwd = mkdtempSync(join(tmpdir(), "rebuild-args-"));
    try {
      expect(parseRebuildArgs(["--target", "r.db"], {}, cwd)).toMatchObject({
        source: "http://127.0.0.1:8080",
        readerToken: "",
        from: null,
        batchSize: 1_000,
        json: false,
      });
      const stack = {
        writeApi: { url: "http://127.0.0.1:9090" },
        tokens: { reader: "from-stack" },
      };
      const data = join(cwd, ".data");
      mkdirSync(data);
      writeFileSync(join(data, "stack.json"), JSON.stringify(stack));
      expect(parseRebuildArgs(["--target", "r.db"], {}, cwd)).toMatchObject({
        source: "http://127.0.0.1:9090",
        readerToken: "from-stack",
      });
      expect(
        parseRebuildArgs(["--target", "r.db", "--from", "7"], { READER_TOKEN: "env" }, cwd),
      ).toMatchObject({
        readerToken: "env",
        from: 7,
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
