import { type Agreement, digestAgreement } from "../../shared/status/agreement.ts";
import type { ReaderStatus } from "../../shared/status/readerStatus.ts";

/** What the primary's own `GET /v1/status` says: the log head, the relay's watermark, the inline views. */
export interface PrimaryStatus {
  head: number;
  /** the relay's watermark: everything up to here was handed to QStash */
  published: number;
  /** the inline views' watermark; equal to `head` once a commit returned */
  watermark: number;
  digest: string;
}

/** One reader's status fetch: its answer, or why there was none. */
export type ReaderProbe =
  | { url: string; ok: true; status: ReaderStatus }
  | { url: string; ok: false; error: string; lastKnown?: ReaderIdentity };

export interface ReaderIdentity {
  region: string;
  runtime: string | null;
  store: string | null;
}

export interface DeadLetter {
  dlqId: string;
  messageId: string;
  url: string;
  responseStatus: number | null;
  createdAt: string;
  responseBody: string | null;
}

export type DeadLetters =
  | {
      available: true;
      messages: DeadLetter[];
      /** the queue holds more than one page: the newest of its oldest page are shown */
      more: boolean;
    }
  | { available: false; reason: string };

export interface RegionView extends ReaderIdentity {
  url: string;
  reachable: boolean;
  error: string | null;
  watermark: number | null;
  /** primary head − watermark */
  lagEvents: number | null;
  /** age of the oldest committed event the reader has not applied; 0 when caught up */
  lagMs: number | null;
  digest: string | null;
  agreement: Agreement;
  /** why the agreement is unknown, for the page */
  agreementNote: string | null;
  lastApplyAt: string | null;
  lastPoison: { at: string; message: string } | null;
  /** the live view generation, and a new one being built beside it */
  views: { active: string; building: string | null } | null;
  /** what self-heal did: rebuilds begun because the views differed; null when it is off */
  selfHeal: { heals: number; lastHealAt: string | null; differsHeld: boolean } | null;
}

export interface DashboardState {
  at: string;
  primary: PrimaryStatus;
  regions: RegionView[];
  /** every region reachable, at the primary's head, with the primary's digest */
  converged: boolean;
  deadLetters: DeadLetters;
}

/**
 * The seqs whose commit times the lag in milliseconds needs: for each
 * reachable reader behind the head, the first event it has not applied.
 *
 * @example
 * seqsAwaited({ head: 10, … }, [{ ok: true, status: { watermark: 7, … } }]); // → [8]
 */
export function seqsAwaited(
  primary: Pick<PrimaryStatus, "head">,
  probes: readonly ReaderProbe[],
): number[] {
  const seqs = probes.flatMap((p) =>
    p.ok && p.status.watermark < primary.head ? [p.status.watermark + 1] : [],
  );
  return [...new Set(seqs)].sort((a, b) => a - b);
}

const fallbackIdentity = (url: string): ReaderIdentity => {
  try {
    return { region: new URL(url).host, runtime: null, store: null };
  } catch {
    return { region: url, runtime: null, store: null };
  }
};

/**
 * Who a probe is about: what it answered, else what it last answered, else its URL's host.
 *
 * @example
 * identityOf({ url: "http://10.0.0.7:8091/v1/status", ok: false, error: "HTTP 502" });
 * // → { region: "10.0.0.7:8091", runtime: null, store: null }
 */
export function identityOf(probe: ReaderProbe): ReaderIdentity {
  if (probe.ok) {
    const { region, runtime, store } = probe.status;
    return { region, runtime, store };
  }
  return probe.lastKnown ?? fallbackIdentity(probe.url);
}

/**
 * A reader's lag behind the primary's head: in events, and in ms as the age
 * at `now` of the oldest committed event it has not applied (0 when caught
 * up; null when that event's commit time is unknown).
 *
 * @example
 * lagOf(10, 7, new Map([[8, now - 1_500]]), now); // → { lagEvents: 3, lagMs: 1500 }
 */
export function lagOf(
  head: number,
  watermark: number,
  commitTimes: ReadonlyMap<number, number>,
  now: number,
): { lagEvents: number; lagMs: number | null } {
  const lagEvents = Math.max(0, head - watermark);
  if (lagEvents === 0) return { lagEvents, lagMs: 0 };
  const oldestUnapplied = commitTimes.get(watermark + 1);
  return {
    lagEvents,
    lagMs: oldestUnapplied === undefined ? null : Math.max(0, now - oldestUnapplied),
  };
}

const regionView = (
  primary: PrimaryStatus,
  probe: ReaderProbe,
  commitTimes: ReadonlyMap<number, number>,
  now: number,
): RegionView => {
  if (!probe.ok) {
    return {
      ...identityOf(probe),
      url: probe.url,
      reachable: false,
      error: probe.error,
      watermark: null,
      lagEvents: null,
      lagMs: null,
      digest: null,
      agreement: "unknown",
      agreementNote: "unreachable",
      lastApplyAt: null,
      lastPoison: null,
      views: null,
      selfHeal: null,
    };
  }
  const s = probe.status;
  const { lagEvents, lagMs } = lagOf(primary.head, s.watermark, commitTimes, now);
  const { agreement, note } = digestAgreement(primary, s);
  return {
    region: s.region,
    runtime: s.runtime,
    store: s.store,
    url: probe.url,
    reachable: true,
    error: null,
    watermark: s.watermark,
    lagEvents,
    lagMs,
    digest: s.digest,
    agreement,
    agreementNote: note,
    lastApplyAt: s.lastApplyAt,
    // the page shows what and when; the details stay on the reader's own status
    lastPoison: s.lastPoison && { at: s.lastPoison.at, message: s.lastPoison.message },
    views: viewsOf(s.generation),
    selfHeal: s.selfHeal && {
      heals: s.selfHeal.heals,
      lastHealAt: s.selfHeal.lastHealAt,
      differsHeld: s.selfHeal.lastVerdict === "held",
    },
  };
};

/** "building g1a2… at 4200 of 10000" from a reader's generation. */
const viewsOf = (g: ReaderStatus["generation"]): RegionView["views"] => {
  if (!g) return null;
  const b = g.building;
  return {
    active: g.active || "(unversioned)",
    building: b ? `${b.namespace} at ${b.watermark} of ${b.head ?? "?"}` : null,
  };
};

/**
 * Turns the primary's status, each reader's status fetch and the dead-letter
 * queue into what the dashboard shows. Pure: the routes gather, this decides.
 *
 * @example
 * const state = dashboardView({ now: Date.now(), primary, probes, commitTimes, deadLetters });
 * state.regions[0]; // → { region: "eu", lagEvents: 0, agreement: "equal", … }
 */
export function dashboardView(input: {
  now: number;
  primary: PrimaryStatus;
  probes: readonly ReaderProbe[];
  /** commit time (epoch ms) of the seqs `seqsAwaited` asked for */
  commitTimes: ReadonlyMap<number, number>;
  deadLetters: DeadLetters;
}): DashboardState {
  const regions = input.probes.map((p) =>
    regionView(input.primary, p, input.commitTimes, input.now),
  );
  return {
    at: new Date(input.now).toISOString(),
    primary: input.primary,
    regions,
    converged:
      regions.length > 0 &&
      regions.every((r) => r.agreement === "equal" && r.watermark === input.primary.head),
    deadLetters: input.deadLetters,
  };
}
