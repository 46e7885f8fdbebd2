import { type ReaderProbe, seqsAwaited } from "../dashboardView.ts";
import { createRing } from "./historyRing.ts";
import { historySeries, type ReplicationHistory } from "./historySeries.ts";
import { type ReplicationSample, replicationSample } from "./replicationSample.ts";

/** How often the write API samples replication, and how far back the dashboard's charts go. */
export interface HistorySettings {
  sampleMs: number;
  windowMs: number;
}

export interface HistorySampler {
  /** the lines over the window before `now` */
  history(now: number): ReplicationHistory;
  /** takes one sample now; the timer calls it */
  sample(): Promise<void>;
  /** samples every `sampleMs` from now on; the timer never keeps the process alive */
  start(): void;
  stop(): void;
}

/** Samples the window holds, one more for the first rate. */
export const historyCapacity = (s: HistorySettings) => Math.ceil(s.windowMs / s.sampleMs) + 1;

/**
 * Samples every reader's status and the primary's head on an interval into a
 * bounded ring, so the dashboard has history when a page opens, not only from
 * then on. A sample that takes longer than the interval delays the next
 * instead of overlapping it; each sample carries its own time, so rates stay
 * right. A primary that cannot be read leaves a sample without a head (a gap
 * in the lines), never a stopped sampler.
 *
 * @example
 * const sampler = historySampler({ probeReaders, head: () => log.head(), commitTimes, now: Date.now, settings });
 * sampler.start();
 * sampler.history(Date.now()).writeRate; // → [[1767225600000, 0], …]
 */
export function historySampler(deps: {
  probeReaders: () => Promise<ReaderProbe[]>;
  head: () => Promise<number>;
  /** commit time (epoch ms) of each seq asked for that is in the log */
  commitTimes: (seqs: readonly number[]) => Promise<Map<number, number>>;
  now: () => number;
  settings: HistorySettings;
}): HistorySampler {
  const { settings } = deps;
  const ring = createRing<ReplicationSample>(historyCapacity(settings));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  const sample = async () => {
    const probes = await deps.probeReaders();
    // read after the readers, so none is seen ahead of it
    const head = await deps.head().catch(() => null);
    const at = deps.now();
    const commitTimes =
      head === null
        ? new Map<number, number>()
        : await deps.commitTimes(seqsAwaited({ head }, probes)).catch(() => new Map());
    ring.push(replicationSample({ at, head, probes, commitTimes }));
  };
  const loop = async () => {
    const started = deps.now();
    await sample().catch(() => undefined);
    if (!running) return;
    timer = setTimeout(loop, Math.max(0, settings.sampleMs - (deps.now() - started)));
    timer.unref?.();
  };

  return {
    history: (now) => historySeries(ring.values(), { ...settings, now }),
    sample,
    start() {
      if (running) return;
      running = true;
      void loop();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
  };
}
