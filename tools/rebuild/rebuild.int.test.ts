import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type EventSource, memoryEventSource } from "../../shared/events/eventSource.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import { createMemoryViewStore } from "../../shared/views/stores/memory/memoryViewStore.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/index.ts";
import { type CliIo, runRebuildCli } from "./cli.ts";

const dir = mkdtempSync(join(tmpdir(), "rebuild-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(source: EventSource) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: { write: (t) => err.push(t), isTTY: false },
    env: {},
    cwd: dir,
    sourceFor: () => source,
  };
  return { io, out, err, run: (...argv: string[]) => runRebuildCli(argv, io) };
}

async function memoryDigest(events: readonly StoredEvent[]): Promise<string> {
  const store = createMemoryViewStore();
  for (let i = 0; i < events.length; i += 1_000) await store.apply(events.slice(i, i + 1_000));
  return (await store.digest()).digest;
}

describe("rebuild CLI", () => {
  it("rebuilds 100,000 events from seq 0 into a SQL file with the reference digest", {
    timeout: 300_000,
  }, async () => {
    const events = generateHistory(100_000, 20261125);
    const target = join(dir, "replica.db");
    const { run, out, err } = cli(memoryEventSource(events));
    expect(await run("--target", target, "--json")).toBe(0);
    const summary = JSON.parse(out.join(""));
    console.log(
      `rebuild: ${summary.events} events in ${summary.seconds.toFixed(1)} s = ${Math.round(summary.eventsPerSecond)} events/s`,
    );
    expect(summary).toMatchObject({
      target,
      from: 0,
      events: 100_000,
      watermark: 100_000,
      head: 100_000,
    });
    expect(summary.digest).toBe(await memoryDigest(events));
    expect(err.filter((l) => l.includes("100.0%"))).toHaveLength(1);
    const store = await openSqlViewStore(target);
    expect((await store.digest()).digest).toBe(summary.digest);
    await store.close();
    expect(readdirSync(dir).filter((f) => f.includes(".rebuild-"))).toEqual([]);
  });

  it("continues an existing target with --from and reaches the same digest", async () => {
    const events = generateHistory(3_000, 7);
    const target = join(dir, "continued.db");
    const first = cli(memoryEventSource(events.slice(0, 1_800)));
    expect(await first.run("--target", target, "--batch-size", "250")).toBe(0);
    expect(first.out.join("")).toMatch(
      /^rebuilt .*: 1,800 events in .* watermark 1800, digest [0-9a-f]{64}\n$/,
    );
    const rest = cli(memoryEventSource(events));
    expect(await rest.run("--target", target, "--from", "1800", "--json")).toBe(0);
    const summary = JSON.parse(rest.out.join(""));
    expect(summary).toMatchObject({ from: 1_800, events: 1_200, watermark: 3_000 });
    expect(summary.digest).toBe(await memoryDigest(events));
  });

  it("refuses to continue past a hole and says where the target stops", async () => {
    const events = generateHistory(500, 8);
    const target = join(dir, "holed.db");
    expect(await cli(memoryEventSource(events.slice(0, 200))).run("--target", target)).toBe(0);
    const later = cli(memoryEventSource(events));
    expect(await later.run("--target", target, "--from", "300")).toBe(1);
    expect(later.err.join("")).toContain(
      "the target's views stop at seq 200; events 201-300 are missing",
    );
  });

  it("leaves the old target untouched when a rebuild fails half-way", async () => {
    const events = generateHistory(2_000, 9);
    const target = join(dir, "kept.db");
    expect(await cli(memoryEventSource(events.slice(0, 500))).run("--target", target)).toBe(0);
    const before = await openSqlViewStore(target);
    const digest = (await before.digest()).digest;
    await before.close();
    const full = memoryEventSource(events);
    const flaky: EventSource = {
      pull: (after, limit) =>
        after >= 1_000 ? Promise.reject(new Error("connection reset")) : full.pull(after, limit),
    };
    const failing = cli(flaky);
    expect(await failing.run("--target", target)).toBe(1);
    expect(failing.err.join("")).toContain("rebuild failed: connection reset");
    const after = await openSqlViewStore(target);
    expect(await after.watermark()).toBe(500);
    expect((await after.digest()).digest).toBe(digest);
    await after.close();
    expect(readdirSync(dir).filter((f) => f.includes(".rebuild-"))).toEqual([]);
  });

  it("explains bad arguments with the usage and exit code 2", async () => {
    const { run, err } = cli(memoryEventSource([]));
    expect(await run("--from", "3")).toBe(2);
    expect(err.join("")).toContain("--target is required");
    expect(await run("--target", "x.db", "--from", "-1")).toBe(2);
    expect(await run("--target", "x.db", "--batch-size", "5000")).toBe(2);
    expect(await run("--target", "x.db", "--what")).toBe(2);
    expect(existsSync(join(dir, "x.db"))).toBe(false);
  });
});
