import { type Env, envReader } from "../shared/config/envReader.ts";
import { type LogLevel, logLevels } from "../shared/logging/logger.ts";

/** `d1`: the Worker only, on its `VIEWS_DB` binding */
export type StoreKind = "sqlite" | "redis" | "d1";

/** The D1 binding a Worker region on `STORE=d1` reads its views from (wrangler.toml `[[d1_databases]]`). */
export const d1BindingName = "VIEWS_DB";

export interface ReaderConfig {
  region: string;
  port: number;
  hostname: string;
  /** this reader's public base URL; pushes are signed for `${publicUrl}/v1/ingest` */
  publicUrl: string;
  writeApiUrl: string;
  readerToken: string;
  consistencySecret: string;
  signingKeys: { current: string; next: string };
  store: StoreKind;
  /** the embedded store's libSQL URL, for `store: "sqlite"` */
  viewDbUrl: string;
  redis: { url: string; token: string } | null;
  reconcileIntervalMs: number;
  catchUpPageSize: number;
  ingestBodyLimitBytes: number;
  consistencyTtlMs: number;
  waitBoundMs: number;
  maxStalenessMs: number | null;
  fallbackPerSecond: number;
  fallbackBurst: number;
  /** replica answers kept in memory per watermark; 0 turns the cache off */
  readCacheEntries: number;
  /**
   * How long a watermark this process saw keys cache lookups before the store
   * is asked again: how far a cached answer may lag applies made by another
   * process on the same store (Worker isolates); applies here show at once.
   */
  readCacheMaxAgeMs: number;
  /** structured log lines below it are dropped */
  logLevel: LogLevel;
  /** bearer token of `POST /v1/admin/rebuild`; unset, the admin routes answer 404 */
  adminToken: string | null;
  /** how often an idle view builder checks for a build to do (not on Workers: cron) */
  viewBuildIdleMs: number;
  /** events a build takes per step before it yields to reads and live applies */
  viewBuildStepEvents: number;
  /** pause between a build's steps: throttles a rebuild on a small instance (not on Workers) */
  viewBuildPauseMs: number;
  /**
   * Builds a new generation of the SQL store by bulk load (the log folded in
   * memory, every record written once) rather than batch by batch.
   */
  viewBuildBulk: boolean;
  /**
   * The least time between two comparisons of the views with the primary's
   * digest (each walks every view); 0 turns self-heal off.
   */
  selfHealCheckMs: number;
  /** the least time between a generation switch and a rebuild self-heal begins */
  selfHealMinIntervalMs: number;
}

/** Every variable a reader reads; the README's configuration table lists the same. */
export function loadReaderConfig(
  env: Env,
  defaults: { store: StoreKind } = { store: "sqlite" },
): ReaderConfig {
  const e = envReader(env);
  const region = e.string("REGION", "local");
  const port = e.int("PORT", 8091, { min: 0, max: 65_535 });
  const store = e.oneOf<StoreKind>("STORE", ["sqlite", "redis", "d1"], defaults.store);
  const redisUrl = e.optional("UPSTASH_REDIS_REST_URL");
  const redisToken = e.optional("UPSTASH_REDIS_REST_TOKEN");
  const config: ReaderConfig = {
    region,
    port,
    hostname: e.string("HOSTNAME", "127.0.0.1"),
    publicUrl: e.string("PUBLIC_URL", `http://127.0.0.1:${port}`).replace(/\/$/, ""),
    writeApiUrl: e.string("WRITE_API_URL", "http://127.0.0.1:8080").replace(/\/$/, ""),
    readerToken: e.secret("READER_TOKEN"),
    consistencySecret: e.secret("CONSISTENCY_SECRET"),
    signingKeys: {
      current: e.secret("QSTASH_CURRENT_SIGNING_KEY", 8),
      next: e.secret("QSTASH_NEXT_SIGNING_KEY", 8),
    },
    store,
    viewDbUrl: e.string("VIEW_DB_URL", `file:.data/reader-${region}.db`),
    redis: redisUrl && redisToken ? { url: redisUrl, token: redisToken } : null,
    reconcileIntervalMs: e.int("RECONCILE_INTERVAL_MS", 30_000, { min: 100, max: 24 * 3_600_000 }),
    catchUpPageSize: e.int("CATCH_UP_PAGE_SIZE", 500, { min: 1, max: 1_000 }),
    ingestBodyLimitBytes: e.int("INGEST_BODY_LIMIT_BYTES", 8 << 20, { min: 1_024, max: 64 << 20 }),
    consistencyTtlMs: e.int("CONSISTENCY_TTL_MS", 30_000, { min: 1_000, max: 3_600_000 }),
    waitBoundMs: e.int("CONSISTENCY_WAIT_MS", 200, { min: 0, max: 10_000 }),
    maxStalenessMs: e.optional("MAX_STALENESS_MS")
      ? e.int("MAX_STALENESS_MS", 0, { min: 0, max: 86_400_000 })
      : null,
    fallbackPerSecond: e.int("PRIMARY_FALLBACK_PER_SECOND", 50, { min: 1, max: 100_000 }),
    fallbackBurst: e.int("PRIMARY_FALLBACK_BURST", 100, { min: 1, max: 100_000 }),
    readCacheEntries: e.int("READ_CACHE_ENTRIES", 1_000, { min: 0, max: 1_000_000 }),
    readCacheMaxAgeMs: e.int("READ_CACHE_MAX_AGE_MS", 1_000, { min: 0, max: 60_000 }),
    logLevel: e.oneOf("LOG_LEVEL", logLevels, "info"),
    adminToken: e.optional("READER_ADMIN_TOKEN") ? e.secret("READER_ADMIN_TOKEN") : null,
    viewBuildIdleMs: e.int("VIEW_BUILD_IDLE_MS", 5_000, { min: 100, max: 3_600_000 }),
    viewBuildStepEvents: e.int("VIEW_BUILD_STEP_EVENTS", 5_000, { min: 1, max: 1_000_000 }),
    viewBuildPauseMs: e.int("VIEW_BUILD_PAUSE_MS", 0, { min: 0, max: 60_000 }),
    viewBuildBulk: e.oneOf("VIEW_BUILD_BULK", ["1", "0"], "1") === "1",
    selfHealCheckMs: e.int("SELF_HEAL_CHECK_MS", 300_000, { min: 0, max: 7 * 86_400_000 }),
    selfHealMinIntervalMs: e.int("SELF_HEAL_MIN_INTERVAL_MS", 3_600_000, {
      min: 0,
      max: 30 * 86_400_000,
    }),
  };
  if (store === "redis" && !config.redis) {
    e.secret("UPSTASH_REDIS_REST_URL", 1);
    e.secret("UPSTASH_REDIS_REST_TOKEN", 1);
  }
  e.done();
  return config;
}
