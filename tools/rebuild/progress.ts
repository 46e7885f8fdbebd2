import type { RebuildProgress, RebuildSummary } from "./rebuildViews.ts";

const width = 30;
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * One progress line: bar, percent, events and rate.
 *
 * @example
 * formatProgress({ watermark: 500, head: 1000, from: 0, applied: 500, elapsedMs: 1000 });
 * // → "[###############---------------]  50.0%  500/1,000 events  500 events/s"
 */
export function formatProgress(p: RebuildProgress): string {
  const total = Math.max(p.head - p.from, 1);
  const done = Math.min(Math.max(p.watermark - p.from, 0), total);
  const filled = Math.round((done / total) * width);
  const rate = p.elapsedMs > 0 ? (p.applied * 1_000) / p.elapsedMs : 0;
  const percent = ((done / total) * 100).toFixed(1).padStart(5);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}%  ${int(done)}/${int(total)} events  ${int(rate)} events/s`;
}

/** @example formatSummary(target, summary); // → "rebuilt .data/replica.db: 100,000 events in 6.1 s (…)" */
export function formatSummary(target: string, s: RebuildSummary): string {
  return `rebuilt ${target}: ${int(s.events)} events in ${s.seconds.toFixed(1)} s (${int(s.eventsPerSecond)} events/s), watermark ${s.watermark}, digest ${s.digest}`;
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal (at most ten times
 * a second), or a plain line every tenth of the way when piped to a log.
 *
 * @example
 * const progress = progressReporter({ write: (t) => process.stderr.write(t), isTTY: true });
 * await rebuildViews({ source, store, onProgress: progress.update });
 * progress.done();
 */
export function progressReporter(out: ProgressOutput, now: () => number = () => Date.now()) {
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p: RebuildProgress): void {
      const total = Math.max(p.head - p.from, 1);
      const finished = p.watermark >= p.head;
      if (out.isTTY) {
        if (!finished && now() - lastDraw < 100) return;
        lastDraw = now();
        drawn = true;
        out.write(`\r${formatProgress(p)}`);
        return;
      }
      const tenth = Math.floor(((p.watermark - p.from) / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`${formatProgress(p)}\n`);
      }
    },
    done(): void {
      if (out.isTTY && drawn) out.write("\n");
    },
  };
}
