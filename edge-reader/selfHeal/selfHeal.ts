import type { Logger } from "../../shared/logging/logger.ts";
import type { Metrics } from "../../shared/metrics/metrics.ts";
import type { SelfHealStatus } from "../../shared/status/readerStatus.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderGenerations } from "../http/adminRoutes.ts";
import { type DigestAt, decideSelfHeal, type SelfHealVerdict } from "./selfHealDecision.ts";

export interface SelfHealDeps {
  /** the reader's store: its fresh digest is what is compared */
  store: ViewStore;
  generations: ReaderGenerations;
  primary: () => Promise<DigestAt>;
  /** the least time between two comparisons: each walks every view */
  checkIntervalMs: number;
  /** the least time between a switch and a heal's rebuild */
  minIntervalMs: number;
  metrics: Metrics;
  log: Logger;
  now?: () => number;
}

export interface SelfHeal {
  /**
   * After a reconcile: compares the views with the primary's when due and the
   * watermarks are equal, and begins a rebuild when they differ. Resolves to
   * the verdict (null when not due or not at the primary's watermark) and, on
   * a heal, the build step a Worker keeps alive with `waitUntil`.
   */
  check(): Promise<{ verdict: SelfHealVerdict | null; work?: Promise<unknown> }>;
  status(): SelfHealStatus;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const parseTime = (at: string | null) => (at === null ? null : Date.parse(at));

/**
 * A replica that heals itself: damaged views (a disk fault, a bad migration,
 * someone editing the store) answer wrong reads forever, since applies only
 * ever change what the events touch. Comparing with the primary's digest at
 * the same watermark finds them, and the generations machinery rebuilds them
 * from the log beside the live ones and switches, as `cqrs rebuild` does.
 *
 * @example
 * const heal = createSelfHeal({ store, generations, primary: primaryDigest(url), checkIntervalMs: 300_000, minIntervalMs: 3_600_000, metrics, log });
 * await catchUp.run();
 * await heal.check(); // → { verdict: { kind: "agree" } }
 */
export function createSelfHeal(deps: SelfHealDeps): SelfHeal {
  const now = deps.now ?? Date.now;
  let checks = 0;
  let heals = 0;
  let lastCheckAt: number | null = null;
  let lastHealAt: number | null = null;
  let lastVerdict: SelfHealVerdict | null = null;
  let running: Promise<{ verdict: SelfHealVerdict | null; work?: Promise<unknown> }> | null = null;

  const detailOf = (v: SelfHealVerdict | null): string | null => {
    if (v === null) return null;
    if (v.kind === "agree") return "equal to the primary's digest";
    if (v.kind === "heal") return "differed from the primary's digest: rebuilding";
    return v.reason;
  };

  const compare = async () => {
    const primary = await deps.primary();
    // Cheap first: the walk is only worth it at the primary's watermark.
    if ((await deps.store.watermark()) !== primary.watermark) return { verdict: null };
    const replica = await deps.store.digest({ fresh: true });
    const generation = deps.generations.store.generation();
    const verdict = decideSelfHeal({
      now: now(),
      primary,
      replica: { ...replica, versions: generation.versions },
      building: generation.building !== null,
      lastSwitchAt: parseTime(generation.lastSwitchAt),
      minIntervalMs: deps.minIntervalMs,
    });
    checks++;
    lastCheckAt = now();
    lastVerdict = verdict;
    deps.metrics.inc("cqrs_digest_checks_total", { result: verdict.kind });
    if (verdict.kind === "agree" || verdict.kind === "not-comparable") return { verdict };
    const fields = {
      watermark: replica.watermark,
      primaryDigest: primary.digest,
      replicaDigest: replica.digest,
    };
    if (verdict.kind === "held") {
      deps.log.warn("views differ from the primary's; not rebuilding yet", {
        ...fields,
        reason: verdict.reason,
        notBefore: iso(verdict.notBefore),
      });
      return { verdict };
    }
    deps.log.warn("views differ from the primary's at the same watermark: rebuilding", fields);
    await deps.generations.store.rebuild();
    heals++;
    lastHealAt = now();
    deps.metrics.inc("cqrs_self_heals_total");
    return { verdict, work: deps.generations.kick() };
  };

  return {
    check() {
      if (running) return running;
      if (lastCheckAt !== null && now() - lastCheckAt < deps.checkIntervalMs) {
        return Promise.resolve({ verdict: null });
      }
      running = compare().finally(() => {
        running = null;
      });
      return running;
    },
    status: () => ({
      checks,
      lastCheckAt: iso(lastCheckAt),
      lastVerdict: lastVerdict?.kind ?? null,
      lastDetail: detailOf(lastVerdict),
      heals,
      lastHealAt: iso(lastHealAt),
    }),
  };
}
