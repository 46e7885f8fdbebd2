import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";
import type { RebuildProgress } from "../rebuild/rebuildViews.ts";

/** What is known between polls: where the rebuild started, and since when it looks stuck. */
export interface WatchState {
  /** the namespace live when the rebuild was asked for */
  from: string;
  /** `lastSwitchAt` as the 202 answer showed it: a switch after the request changes it */
  switchedBefore: string | null;
  /** the CLI's clock when the command started, in ms */
  startedMs: number;
  /** the same trouble seen on every poll since then (ms), or null while healthy */
  troubleSince: number | null;
  trouble: string | null;
  /** the build's watermark at the last poll: progress clears trouble */
  lastWatermark: number;
}

export type WatchVerdict =
  | { state: "building"; progress: RebuildProgress | null }
  | { state: "switched"; to: string; epoch: number }
  | { state: "failed"; reason: string };

/**
 * The state before the first poll, from the 202 answer.
 *
 * @example
 * startWatch({ active: "gaa", epoch: 0, building: { … }, lastSwitchAt: null, lastError: null }, Date.now());
 */
export function startWatch(accepted: GenerationStatus, nowMs: number): WatchState {
  return {
    from: accepted.active,
    switchedBefore: accepted.lastSwitchAt,
    startedMs: nowMs,
    troubleSince: null,
    trouble: null,
    lastWatermark: accepted.building?.watermark ?? 0,
  };
}

/**
 * Done when no build is left, the live namespace is not the one we started
 * from, and a switch happened since the request. The switch is recognised by
 * `lastSwitchAt` changing from what the 202 showed, not by comparing it with
 * the CLI's clock, so a reader whose clock runs behind ours still finishes.
 */
const switched = (w: WatchState, g: GenerationStatus) =>
  g.building === null &&
  g.active !== w.from &&
  g.lastSwitchAt !== null &&
  g.lastSwitchAt !== w.switchedBefore;

/** Why this poll looks wrong, if it does; a single such poll is not yet a failure. */
function troubleOf(w: WatchState, g: GenerationStatus): string | null {
  if (g.lastError !== null) return `the build keeps failing: ${g.lastError}`;
  // A restart resumes the build from its namespace; one gone without a switch was dropped.
  if (g.building === null && g.active === w.from) {
    return "the reader is no longer building a new generation; run rebuild again";
  }
  return null;
}

/**
 * Judges one poll of the reader's status: still building (with the progress
 * to draw), switched, or failed because the same trouble (a `lastError`, or a
 * build that vanished) lasted `graceMs` without the build advancing.
 *
 * @example
 * const { state, verdict } = watchStep(state0, status.generation, Date.now(), 30_000);
 * if (verdict.state === "building" && verdict.progress) bar.update(verdict.progress);
 */
export function watchStep(
  w: WatchState,
  g: GenerationStatus,
  nowMs: number,
  graceMs: number,
): { watch: WatchState; verdict: WatchVerdict } {
  if (switched(w, g)) {
    return { watch: { ...w, troubleSince: null, trouble: null }, verdict: switchedTo(g) };
  }
  const watermark = g.building?.watermark ?? w.lastWatermark;
  const trouble = troubleOf(w, g);
  const advanced = watermark > w.lastWatermark;
  const troubleSince =
    trouble === null || advanced ? null : trouble === w.trouble ? (w.troubleSince ?? nowMs) : nowMs;
  const watch: WatchState = { ...w, trouble, troubleSince, lastWatermark: watermark };
  if (trouble !== null && troubleSince !== null && nowMs - troubleSince >= graceMs) {
    return { watch, verdict: { state: "failed", reason: trouble } };
  }
  const b = g.building;
  const progress =
    b && b.head !== null
      ? {
          watermark: b.watermark,
          head: Math.max(b.head, b.watermark),
          from: 0,
          applied: b.applied,
          elapsedMs: nowMs - w.startedMs,
        }
      : null;
  return { watch, verdict: { state: "building", progress } };
}

const switchedTo = (g: GenerationStatus): WatchVerdict => ({
  state: "switched",
  to: g.active,
  epoch: g.epoch,
});

/** One region's rebuild, as printed and as `--json` shows it. */
export type RegionRebuild =
  | {
      region: string;
      outcome: "switched";
      from: string;
      to: string;
      epoch: number;
      /** seqs in the new generation when it went live: a build from seq 0 applies each once */
      events: number;
      seconds: number;
      digest: string;
    }
  | { region: string; outcome: "failed" | "unreachable"; from: string | null; error: string };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const shown = (namespace: string) => (namespace === "" ? '""' : namespace);

/**
 * @example
 * rebuildLine({ region: "us-bun", outcome: "switched", from: "ga", to: "gb", epoch: 1, events: 412, seconds: 2.04, digest: "9f" });
 * // → "✓ us-bun: ga → gb (epoch 1), 412 events from the log in 2.0 s, digest 9f"
 */
export function rebuildLine(r: RegionRebuild): string {
  if (r.outcome === "switched") {
    return `✓ ${r.region}: ${shown(r.from)} → ${shown(r.to)} (epoch ${r.epoch}), ${int(r.events)} events from the log in ${r.seconds.toFixed(1)} s, digest ${r.digest}`;
  }
  return `✗ ${r.region}: ${r.error}`;
}

/**
 * Exit code of a batch: unreachable (2) outranks failed (1).
 *
 * @example
 * rebuildExitCode([{ outcome: "switched", … }, { outcome: "failed", … }]); // → 1
 */
export function rebuildExitCode(results: readonly RegionRebuild[]): 0 | 1 | 2 {
  if (results.some((r) => r.outcome === "unreachable")) return 2;
  return results.some((r) => r.outcome === "failed") ? 1 : 0;
}
