import { describe, expect, it } from "vitest";
import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";
import {
  rebuildExitCode,
  rebuildLine,
  startWatch,
  type WatchState,
  watchStep,
} from "./rebuildWatch.ts";

const building = (watermark: number, head: number | null, applied = watermark) => ({
  namespace: "gnew",
  epoch: 1,
  watermark,
  head,
  applied,
  startedAt: "2026-01-01T00:00:00.000Z",
});

const generation = (over: Partial<GenerationStatus> = {}): GenerationStatus => ({
  active: "gold",
  epoch: 0,
  versions: {},
  building: building(0, null),
  lastSwitchAt: null,
  lastError: null,
  ...over,
});

const switchedGeneration = generation({
  active: "gnew",
  epoch: 1,
  building: null,
  lastSwitchAt: "2026-01-01T00:00:05.000Z",
});

/** Feeds polls at the given times (ms) and returns every verdict. */
function watch(accepted: GenerationStatus, polls: [number, GenerationStatus][], graceMs = 1_000) {
  let state: WatchState = startWatch(accepted, 0);
  return polls.map(([at, g]) => {
    const step = watchStep(state, g, at, graceMs);
    state = step.watch;
    return step.verdict;
  });
}

describe("watchStep", () => {
  it("shows the build's progress, then reports the switch", () => {
    const verdicts = watch(generation(), [
      [100, generation()],
      [200, generation({ building: building(40, 100, 40) })],
      [300, switchedGeneration],
    ]);
    expect(verdicts).toEqual([
      { state: "building", progress: null },
      {
        state: "building",
        progress: { watermark: 40, head: 100, from: 0, applied: 40, elapsedMs: 200 },
      },
      { state: "switched", to: "gnew", epoch: 1 },
    ]);
  });

  it("does not count a switch from before the request as this rebuild's", () => {
    const earlier = "2025-12-31T00:00:00.000Z";
    const accepted = generation({ lastSwitchAt: earlier });
    const [verdict] = watch(accepted, [
      [100, generation({ active: "gnew", building: null, lastSwitchAt: earlier })],
    ]);
    expect(verdict?.state).not.toBe("switched");
  });

  it("is not done while the active namespace is still the one it started from", () => {
    const [verdict] = watch(generation(), [
      [100, generation({ building: null, lastSwitchAt: "2026-01-01T00:00:05.000Z" })],
    ]);
    expect(verdict?.state).toBe("building");
  });

  it("fails when the same lastError lasts the grace period without progress", () => {
    const failing = generation({ building: building(40, 100), lastError: "log unreachable" });
    const verdicts = watch(generation({ building: building(40, 100) }), [
      [100, failing],
      [600, failing],
      [1_100, failing],
    ]);
    expect(verdicts.map((v) => v.state)).toEqual(["building", "building", "failed"]);
    expect(verdicts[2]).toEqual({
      state: "failed",
      reason: "the build keeps failing: log unreachable",
    });
  });

  it("forgives a lastError the build gets past", () => {
    const verdicts = watch(generation(), [
      [100, generation({ building: building(40, 100), lastError: "timeout" })],
      [900, generation({ building: building(60, 100), lastError: "timeout" })],
      [1_500, generation({ building: building(80, 100) })],
      [2_000, switchedGeneration],
    ]);
    expect(verdicts.map((v) => v.state)).toEqual(["building", "building", "building", "switched"]);
  });

  it("fails when the build vanished and the old namespace stays live", () => {
    const forgotten = generation({ building: null });
    const verdicts = watch(generation(), [
      [100, forgotten],
      [1_100, forgotten],
    ]);
    expect(verdicts[1]).toMatchObject({ state: "failed", reason: /no longer building/ });
  });
});

describe("rebuildLine and rebuildExitCode", () => {
  const ok = {
    region: "us-bun",
    outcome: "switched",
    from: "",
    to: "gnew",
    epoch: 1,
    events: 12_345,
    seconds: 2.04,
    digest: "9f",
  } as const;

  it("prints the switch, the events and the new digest", () => {
    expect(rebuildLine(ok)).toBe(
      '✓ us-bun: "" → gnew (epoch 1), 12,345 events from the log in 2.0 s, digest 9f',
    );
    expect(rebuildLine({ region: "ap", outcome: "failed", from: null, error: "HTTP 401" })).toBe(
      "✗ ap: HTTP 401",
    );
  });

  it("exits 2 if any region was unreachable, else 1 if any failed", () => {
    const failed = { region: "a", outcome: "failed", from: null, error: "x" } as const;
    const gone = { region: "b", outcome: "unreachable", from: null, error: "y" } as const;
    expect(rebuildExitCode([ok])).toBe(0);
    expect(rebuildExitCode([ok, failed])).toBe(1);
    expect(rebuildExitCode([failed, gone])).toBe(2);
  });
});
