import { type Env, envReader } from "../shared/config/envReader.ts";
import type { WriteApiSettings } from "./app.ts";
import { readDashboardSettings } from "./dashboard/dashboardSettings.ts";
import type { PrimaryConfig, SynchronousMode } from "./db/openPrimary.ts";
import { inlineViewsUrl } from "./views/inlineViewsUrl.ts";

export interface RelayConfig {
  qstashUrl: string;
  qstashToken: string;
  urlGroup: string;
  /** readers' `/v1/ingest` URLs to keep in the URL group; empty = the group is managed elsewhere */
  ingestUrls: string[];
  /** QStash's delivery retries per endpoint before the dead-letter queue */
  deliveryRetries: number;
  maxEvents: number;
  maxBytes: number;
  backstopIntervalMs: number;
  /** messages handed to QStash past the published watermark at once */
  maxInFlight: number;
}

export interface WriteApiConfig {
  port: number;
  hostname: string;
  database: PrimaryConfig;
  consistencySecret: string;
  settings: WriteApiSettings;
  /** null when QSTASH_TOKEN is unset: the log is still served, nothing is pushed */
  relay: RelayConfig | null;
  /** how often an idle view builder checks for a new read model version to build */
  viewBuildIdleMs: number;
  /** how long the inline views may trail the commits when nothing reads them, ms */
  viewFollowMs: number;
  /** the inline views' own database; beside a local primary file by default */
  viewsUrl: string;
  /** where the inline views apply: a worker thread of their own, or the commands' thread */
  viewsThread: ViewsThread;
}

export type ViewsThread = "worker" | "main";

const minute = 60_000;

/** Every variable the write API reads; the README's configuration table lists the same. */
export function loadWriteApiConfig(env: Env): WriteApiConfig {
  const e = envReader(env);
  const databaseUrl = e.string("DATABASE_URL", "file:.data/primary.db");
  // another thread's connection to an in-memory primary opens another, empty database
  const inMemory = inlineViewsUrl(databaseUrl) === ":memory:";
  const config: WriteApiConfig = {
    port: e.int("PORT", 8080, { min: 0, max: 65_535 }),
    hostname: e.string("HOSTNAME", "127.0.0.1"),
    viewBuildIdleMs: e.int("VIEW_BUILD_IDLE_MS", 5_000, { min: 100, max: 3_600_000 }),
    viewFollowMs: e.int("VIEW_FOLLOW_MS", 50, { min: 1, max: 60_000 }),
    viewsUrl: e.string("VIEWS_DATABASE_URL", inlineViewsUrl(databaseUrl)),
    viewsThread: e.oneOf<ViewsThread>(
      "VIEWS_THREAD",
      ["worker", "main"],
      inMemory ? "main" : "worker",
    ),
    database: {
      url: databaseUrl,
      authToken: e.optional("DATABASE_AUTH_TOKEN"),
      synchronous: e.oneOf<SynchronousMode>(
        "DATABASE_SYNCHRONOUS",
        ["OFF", "NORMAL", "FULL", "EXTRA"],
        "FULL",
      ),
      busyTimeoutMs: e.int("DATABASE_BUSY_TIMEOUT_MS", 5_000, { min: 0, max: 60_000 }),
    },
    consistencySecret: e.secret("CONSISTENCY_SECRET"),
    settings: {
      adminToken: e.secret("ADMIN_TOKEN"),
      readerToken: e.secret("READER_TOKEN"),
      consistencyTtlMs: e.int("CONSISTENCY_TTL_MS", 30_000, { min: 1_000, max: 60 * minute }),
      keyedTokens: e.oneOf("KEYED_TOKENS", ["1", "0"], "1") === "1",
      bodyLimitBytes: e.int("BODY_LIMIT_BYTES", 1 << 20, { min: 1_024, max: 64 << 20 }),
      idempotencyTtlMs: e.int("IDEMPOTENCY_TTL_MS", 24 * 60 * minute, {
        min: minute,
        max: 30 * 24 * 60 * minute,
      }),
    },
    relay: null,
  };
  const qstashToken = e.optional("QSTASH_TOKEN");
  if (qstashToken) {
    config.relay = {
      qstashUrl: e.string("QSTASH_URL", "https://qstash.upstash.io"),
      qstashToken,
      urlGroup: e.string("QSTASH_URL_GROUP", "edge-readers"),
      ingestUrls: e
        .string("READER_INGEST_URLS", "")
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
      deliveryRetries: e.int("QSTASH_RETRIES", 3, { min: 0, max: 10 }),
      maxEvents: e.int("RELAY_MAX_EVENTS", 200, { min: 1, max: 1_000 }),
      maxBytes: e.int("RELAY_MAX_BYTES", 900_000, { min: 4_096, max: 10 << 20 }),
      backstopIntervalMs: e.int("RELAY_BACKSTOP_MS", 5_000, { min: 100, max: 3_600_000 }),
      maxInFlight: e.int("RELAY_MAX_IN_FLIGHT", 4, { min: 1, max: 64 }),
    };
  }
  config.settings.dashboard = readDashboardSettings(
    e,
    config.relay && { baseUrl: config.relay.qstashUrl, token: config.relay.qstashToken },
  );
  if (config.viewsUrl === databaseUrl) {
    e.invalid("VIEWS_DATABASE_URL must name a database of its own, not DATABASE_URL's");
  }
  if (inMemory && config.viewsThread === "worker") {
    e.invalid("VIEWS_THREAD=worker needs a primary another thread can open, not an in-memory one");
  }
  e.done();
  return config;
}
