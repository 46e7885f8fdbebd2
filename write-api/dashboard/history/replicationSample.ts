import { identityOf, lagOf, type ReaderProbe } from "../dashboardView.ts";

/** One reader at one sample; null where it did not answer (or the primary did not). */
export interface RegionSample {
  /** the reader's status URL: what keeps a region's line together across samples */
  url: string;
  region: string;
  watermark: number | null;
  lagEvents: number | null;
  /** the age of the oldest committed event it had not applied; 0 when caught up */
  lagMs: number | null;
  /** the reader's own count of reads handed to the primary since it started */
  primaryFallbacks: number | null;
}

/** What the sampler saw at one moment: the primary's head and every reader. */
export interface ReplicationSample {
  /** epoch ms, on the write API's clock (the one commit times are stamped with) */
  at: number;
  /** null: the primary could not be read, so no lag either */
  head: number | null;
  regions: RegionSample[];
}

/**
 * One sample from the reader probes and the primary's head, read after them
 * (so no reader is seen ahead of it), with the commit times `seqsAwaited`
 * asked for.
 *
 * @example
 * replicationSample({ at: now, head: 10, probes, commitTimes: new Map([[8, now - 1_500]]) });
 * // → { at, head: 10, regions: [{ region: "eu", watermark: 7, lagEvents: 3, lagMs: 1500, … }] }
 */
export function replicationSample(input: {
  at: number;
  head: number | null;
  probes: readonly ReaderProbe[];
  commitTimes: ReadonlyMap<number, number>;
}): ReplicationSample {
  const { at, head, commitTimes } = input;
  const regions = input.probes.map((p): RegionSample => {
    const { region } = identityOf(p);
    if (!p.ok) {
      return {
        url: p.url,
        region,
        watermark: null,
        lagEvents: null,
        lagMs: null,
        primaryFallbacks: null,
      };
    }
    const { watermark, primaryFallbacks } = p.status;
    const lag =
      head === null ? { lagEvents: null, lagMs: null } : lagOf(head, watermark, commitTimes, at);
    return { url: p.url, region, watermark, ...lag, primaryFallbacks };
  });
  return { at, head, regions };
}
