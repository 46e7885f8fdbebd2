import type { RegionSample, ReplicationSample } from "./replicationSample.ts";

/** `[epoch ms, value]`; a null value breaks the line there. */
export type Point = readonly [at: number, value: number | null];

/** One region's lines over the window. */
export interface RegionHistory {
  url: string;
  /** its name in the latest sample */
  region: string;
  lagEvents: Point[];
  /** the age of the oldest committed event it had not applied at each sample; 0 when caught up */
  lagMs: Point[];
  /** events applied per second: deltas of its watermark */
  applyRate: Point[];
  /** reads handed to the primary per second: deltas of its `primaryFallbacks` counter */
  fallbackRate: Point[];
}

/** What the dashboard's charts draw and `GET /dashboard/history` answers. */
export interface ReplicationHistory {
  sampleMs: number;
  windowMs: number;
  /** what the lines span: the window's start, or the first sample when younger, to now */
  from: number;
  to: number;
  /** events committed per second on the primary: deltas of its head */
  writeRate: Point[];
  regions: RegionHistory[];
}

interface Reading {
  at: number;
  value: number | null;
}

/**
 * Per second between two readings of a count that only grows. A `counter`
 * that drops was restarted and counts from 0 again, so its increase is the
 * new value (as Prometheus' `rate()` takes it); a `position` (a head, a
 * watermark) that drops belongs to a replaced store, and has no rate there.
 *
 * @example
 * perSecond({ at: 0, value: 10 }, { at: 2_000, value: 30 }, "position"); // → 10
 * perSecond({ at: 0, value: 10 }, { at: 2_000, value: 4 }, "counter"); // → 2
 */
export function perSecond(
  prev: Reading,
  next: Reading,
  kind: "counter" | "position",
): number | null {
  if (prev.value === null || next.value === null) return null;
  const seconds = (next.at - prev.at) / 1_000;
  if (seconds <= 0) return null;
  const delta = next.value - prev.value;
  if (delta < 0 && kind === "position") return null;
  return round((delta < 0 ? next.value : delta) / seconds);
}

const round = (n: number) => Math.round(n * 1_000) / 1_000;

const regionLines = (
  url: string,
  samples: readonly ReplicationSample[],
  first: number,
): RegionHistory => {
  const of = (s: ReplicationSample | undefined): RegionSample | undefined =>
    s?.regions.find((r) => r.url === url);
  const lines: RegionHistory = {
    url,
    region: url,
    lagEvents: [],
    lagMs: [],
    applyRate: [],
    fallbackRate: [],
  };
  for (let i = first; i < samples.length; i++) {
    const s = samples[i] as ReplicationSample;
    const now = of(s);
    lines.region = now?.region ?? lines.region;
    lines.lagEvents.push([s.at, now?.lagEvents ?? null]);
    lines.lagMs.push([s.at, now?.lagMs ?? null]);
    if (i === 0) continue;
    const prevSample = samples[i - 1] as ReplicationSample;
    const prev = of(prevSample);
    const rate = (field: "watermark" | "primaryFallbacks", kind: "position" | "counter") =>
      perSecond(
        { at: prevSample.at, value: prev?.[field] ?? null },
        { at: s.at, value: now?.[field] ?? null },
        kind,
      );
    lines.applyRate.push([s.at, rate("watermark", "position")]);
    lines.fallbackRate.push([s.at, rate("primaryFallbacks", "counter")]);
  }
  return lines;
};

/**
 * The lines over the last `windowMs` before `now` from the samples, oldest
 * first: lags as sampled, rates from the deltas between each sample and the
 * one before it (which may lie just outside the window). A region is keyed by
 * its status URL and named as it last answered.
 *
 * @example
 * const history = historySeries(ring.values(), { sampleMs: 2_000, windowMs: 600_000, now: Date.now() });
 * history.regions[0]?.applyRate.at(-1); // → [1767225600000, 12.5]
 */
export function historySeries(
  samples: readonly ReplicationSample[],
  options: { sampleMs: number; windowMs: number; now: number },
): ReplicationHistory {
  const start = options.now - options.windowMs;
  let first = samples.findIndex((s) => s.at >= start);
  if (first < 0) first = samples.length;
  const urls = new Set(samples.slice(first).flatMap((s) => s.regions.map((r) => r.url)));
  const writeRate: Point[] = [];
  for (let i = Math.max(first, 1); i < samples.length; i++) {
    const [prev, next] = [samples[i - 1], samples[i]] as [ReplicationSample, ReplicationSample];
    writeRate.push([
      next.at,
      perSecond({ at: prev.at, value: prev.head }, { at: next.at, value: next.head }, "position"),
    ]);
  }
  return {
    sampleMs: options.sampleMs,
    windowMs: options.windowMs,
    from: Math.max(start, samples[first]?.at ?? options.now),
    to: options.now,
    writeRate,
    regions: [...urls].map((url) => regionLines(url, samples, first)),
  };
}
