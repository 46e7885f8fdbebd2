import { type Agreement, digestAgreement } from "../../shared/status/agreement.ts";
import type { PrimaryStatus, RegionProbe, StackSnapshot } from "./statusFetch.ts";

export interface RegionVerdict {
  region: string;
  url: string;
  runtime: string;
  store: string;
  reachable: boolean;
  /** `unknown` for a region behind or ahead of the primary, or one that did not answer */
  agreement: Agreement;
  watermark: number | null;
  /** events behind the primary's head */
  lag: number | null;
  digest: string | null;
  lastApplyAt: string | null;
  error?: string;
}

const mark = (v: RegionVerdict): string =>
  !v.reachable ? "?" : v.agreement === "equal" ? "✓" : v.agreement === "differs" ? "✗" : "…";

/**
 * @example
 * regionVerdict({ head: 9, watermark: 9, digest: "a", … }, { reachable: true, watermark: 9, digest: "b", … }).agreement;
 * // → "differs"
 */
export function regionVerdict(primary: PrimaryStatus, probe: RegionProbe): RegionVerdict {
  const { region, url, runtime, store } = probe;
  if (!probe.reachable) {
    return {
      region,
      url,
      runtime,
      store,
      reachable: false,
      agreement: "unknown",
      watermark: null,
      lag: null,
      digest: null,
      lastApplyAt: null,
      error: probe.error,
    };
  }
  return {
    region,
    url,
    runtime,
    store,
    reachable: true,
    agreement: digestAgreement(primary, probe).agreement,
    watermark: probe.watermark,
    lag: Math.max(0, primary.head - probe.watermark),
    digest: probe.digest,
    lastApplyAt: probe.lastApplyAt,
  };
}

/**
 * Every watermark equals the head (and the primary's inline views have it):
 * nothing is in flight, so digests can be compared for good.
 *
 * @example
 * isQuiescent({ primary: { head: 9, watermark: 9, … }, regions: [{ reachable: true, watermark: 9, … }] }); // → true
 */
export function isQuiescent(snapshot: StackSnapshot): boolean {
  const { primary, regions } = snapshot;
  return (
    primary.watermark === primary.head &&
    regions.every((r) => r.reachable && r.watermark === primary.head)
  );
}

const ago = (iso: string | null, now: number): string => {
  if (iso === null) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1_000));
  const span =
    seconds < 120
      ? `${seconds} s`
      : seconds < 7_200
        ? `${Math.round(seconds / 60)} min`
        : `${Math.round(seconds / 3_600)} h`;
  return `${iso} (${span} ago)`;
};

const table = (rows: string[][]): string[] => {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
};

/**
 * `cqrs status` as text: the primary, then one line per region.
 *
 * @example
 * statusLines(snapshot, Date.now());
 * // → ["primary  http://127.0.0.1:8080  head 412  published 412  digest 9f…",
 * //    "REGION      RUNTIME+STORE  WATERMARK  LAG  DIGEST  LAST APPLY",
 * //    "us-bun      bun+sqlite     412        0    ✓       2026-11-25T09:10:02.000Z (3 s ago)"]
 */
export function statusLines(snapshot: StackSnapshot, now: number): string[] {
  const { primary } = snapshot;
  const rows = snapshot.regions.map((probe) => {
    const v = regionVerdict(primary, probe);
    return [
      v.region,
      `${v.runtime}+${v.store}`,
      v.watermark === null ? "-" : String(v.watermark),
      v.lag === null ? "-" : String(v.lag),
      mark(v),
      v.error === undefined ? ago(v.lastApplyAt, now) : `unreachable: ${v.error}`,
    ];
  });
  return [
    `primary  ${primary.url}  head ${primary.head}  published ${primary.published}  digest ${primary.digest}`,
    ...table([["REGION", "RUNTIME+STORE", "WATERMARK", "LAG", "DIGEST", "LAST APPLY"], ...rows]),
  ];
}

/**
 * `cqrs status --json`.
 *
 * @example
 * statusJson(snapshot); // → { primary: { head, published, watermark, digest, url }, regions: [{ region, agreement, lag, … }] }
 */
export function statusJson(snapshot: StackSnapshot) {
  return {
    primary: snapshot.primary,
    regions: snapshot.regions.map((probe) => regionVerdict(snapshot.primary, probe)),
  };
}

export interface VerifyReport {
  ok: boolean;
  /** 0 all agree, 1 a region differs or never caught up, 2 a region did not answer */
  code: 0 | 1 | 2;
  diverged: string[];
  unreachable: string[];
  lines: string[];
}

const verdictLine = (v: RegionVerdict, primary: PrimaryStatus): string => {
  if (!v.reachable) return `? ${v.region}: unreachable at ${v.url} (${v.error})`;
  switch (v.agreement) {
    case "equal":
      return `✓ ${v.region}: watermark ${v.watermark}, digest ${v.digest}`;
    case "differs":
      return `✗ ${v.region}: digest ${v.digest} differs from the primary's ${primary.digest} at watermark ${v.watermark}`;
    case "unknown":
      return `✗ ${v.region}: watermark ${v.watermark} never reached the primary's ${primary.watermark} (head ${primary.head})`;
  }
};

/**
 * Decides `cqrs verify` from the last snapshot: every region must have the
 * primary's watermark and digest. A divergence (exit 1) outranks an
 * unreachable region (exit 2): it is a definite finding, the other a doubt.
 *
 * @example
 * verifyReport(primary, probes); // → { ok: false, code: 1, diverged: ["us-bun"], lines: ["✗ us-bun: digest …", …] }
 */
export function verifyReport(primary: PrimaryStatus, probes: RegionProbe[]): VerifyReport {
  const verdicts = probes.map((p) => regionVerdict(primary, p));
  // verify runs on a quiescent stack: a region still at another watermark never caught up
  const diverged = verdicts
    .filter((v) => v.reachable && v.agreement !== "equal")
    .map((v) => v.region);
  const unreachable = verdicts.filter((v) => !v.reachable).map((v) => v.region);
  const code = diverged.length > 0 ? 1 : unreachable.length > 0 ? 2 : 0;
  const summary =
    code === 0
      ? `all ${verdicts.length} regions agree with the primary at seq ${primary.watermark}`
      : [
          diverged.length > 0 ? `diverged: ${diverged.join(", ")}` : "",
          unreachable.length > 0 ? `unreachable: ${unreachable.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; ");
  return {
    ok: code === 0,
    code,
    diverged,
    unreachable,
    lines: [
      `primary: head ${primary.head}, inline views at ${primary.watermark}, digest ${primary.digest}`,
      ...verdicts.map((v) => verdictLine(v, primary)),
      summary,
    ],
  };
}
