/** One side's views as a digest comparison needs them. */
export interface DigestAt {
  watermark: number;
  digest: string;
  /** each read model's projection version: digests of different versions never agree */
  versions: Record<string, number>;
}

export interface SelfHealInput {
  now: number;
  /** the primary's inline views, as its `/v1/status` reported them */
  primary: DigestAt;
  /** this replica's views, digest walked fresh (never the kept one: tampering bypasses it) */
  replica: DigestAt;
  /** a generation is being built already (an upgrade, an operator's rebuild, an earlier heal) */
  building: boolean;
  /** when this replica last switched generations, epoch ms; null if never */
  lastSwitchAt: number | null;
  /** the least time between two switches a heal may cause */
  minIntervalMs: number;
}

export type SelfHealVerdict =
  | { kind: "agree" }
  | { kind: "not-comparable"; reason: string }
  | { kind: "heal" }
  | { kind: "held"; reason: string; notBefore: number | null };

const sameVersions = (a: Record<string, number>, b: Record<string, number>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * Whether a replica's views are to be rebuilt because they differ from the
 * primary's. Two digests say something only at the same watermark and the
 * same read model versions; a difference then means the replica's views are
 * damaged, and a rebuild from the log cures it. The bound — no heal within
 * `minIntervalMs` of the last switch, none while a build runs — keeps a
 * primary whose digest flaps from making the replica rebuild in a loop.
 *
 * @example
 * decideSelfHeal({ now, primary, replica, building: false, lastSwitchAt: null, minIntervalMs: 3_600_000 });
 * // → { kind: "heal" } when the digests differ at the same watermark
 */
export function decideSelfHeal(i: SelfHealInput): SelfHealVerdict {
  if (i.primary.watermark !== i.replica.watermark) {
    return {
      kind: "not-comparable",
      reason: `watermarks differ (primary ${i.primary.watermark}, replica ${i.replica.watermark})`,
    };
  }
  if (!sameVersions(i.primary.versions, i.replica.versions)) {
    return { kind: "not-comparable", reason: "read model versions differ from the primary's" };
  }
  if (i.primary.digest === i.replica.digest) return { kind: "agree" };
  if (i.building) return { kind: "held", reason: "a generation is being built", notBefore: null };
  const notBefore = i.lastSwitchAt === null ? i.now : i.lastSwitchAt + i.minIntervalMs;
  if (i.now < notBefore) {
    return { kind: "held", reason: "the last switch was too recent", notBefore };
  }
  return { kind: "heal" };
}
