import type { Runtime } from "../servers/services.ts";
import type { ReadTargetKind } from "./readTargets.ts";

/** A cell's req/s over another target's for the same read kind; null where none applies. */
export interface ReadRatios {
  /** ÷ the constant-body limit on the same runtime (every target but that limit) */
  limit: number | null;
  /** ÷ limit-redis-node: the Redis reader on Node against one GET through the same REST hop */
  redisLimit: number | null;
  /** readers ÷ the baseline on the same runtime, else Node's (workerd has none) */
  baseline: number | null;
}

interface Measured {
  query: string;
  kind: ReadTargetKind;
  runtime: Runtime;
  rps: number;
}

/**
 * @example
 * readRatios(redisNodeProductCell, cells).redisLimit; // → 0.8
 */
export function readRatios(c: Measured, cells: readonly Measured[]): ReadRatios {
  const ofQuery = cells.filter((x) => x.query === c.query);
  const limit = ofQuery.find((x) => x.kind === "limit" && x.runtime === c.runtime);
  const redisLimit = ofQuery.find((x) => x.kind === "redis-limit");
  const baselines = ofQuery.filter((x) => x.kind === "baseline");
  const base =
    baselines.find((x) => x.runtime === c.runtime) ?? baselines.find((x) => x.runtime === "node");
  const reader = c.kind.startsWith("reader-");
  return {
    limit: limit && c !== limit ? c.rps / limit.rps : null,
    redisLimit:
      redisLimit && c.kind === "reader-redis" && c.runtime === "node"
        ? c.rps / redisLimit.rps
        : null,
    baseline: base && reader ? c.rps / base.rps : null,
  };
}
