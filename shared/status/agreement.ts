/** How a replica's views compare with the primary's inline views; the dashboard and the CLI show these. */
export const agreements = ["equal", "differs", "unknown"] as const;

export type Agreement = (typeof agreements)[number];

/** Where a set of views stands: the log position and the canonical digest there. */
export interface DigestAt {
  watermark: number;
  digest: string;
}

/**
 * Compares a replica's digest with the primary's. Digests are comparable only
 * at the same watermark: a replica behind (or ahead of) the primary is
 * `unknown`, since a lagging replica is not a diverged one.
 *
 * @example
 * digestAgreement({ watermark: 9, digest: "a" }, { watermark: 9, digest: "b" });
 * // → { agreement: "differs", note: "digest differs at watermark 9" }
 * digestAgreement({ watermark: 9, digest: "a" }, { watermark: 7, digest: "c" });
 * // → { agreement: "unknown", note: "behind the primary (7 vs 9)" }
 */
export function digestAgreement(
  primary: DigestAt,
  replica: DigestAt,
): { agreement: Agreement; note: string | null } {
  if (replica.watermark === primary.watermark) {
    return replica.digest === primary.digest
      ? { agreement: "equal", note: null }
      : { agreement: "differs", note: `digest differs at watermark ${replica.watermark}` };
  }
  const where = replica.watermark < primary.watermark ? "behind" : "ahead of";
  return {
    agreement: "unknown",
    note: `${where} the primary (${replica.watermark} vs ${primary.watermark})`,
  };
}
