import { type Env, envReader } from "../shared/config/envReader.ts";
import type { WriteApiSettings } from "./app.ts";
import type { PrimaryConfig, SynchronousMode } from "./db/openPrimary.ts";

export interface WriteApiConfig {
  port: number;
  hostname: string;
  database: PrimaryConfig;
  consistencySecret: string;
  settings: WriteApiSettings;
}

const minute = 60_000;

/** Every variable the write API reads; the README's configuration table lists the same. */
export function loadWriteApiConfig(env: Env): WriteApiConfig {
  const e = envReader(env);
  const config: WriteApiConfig = {
    port: e.int("PORT", 8080, { min: 0, max: 65_535 }),
    hostname: e.string("HOSTNAME", "127.0.0.1"),
    database: {
      url: e.string("DATABASE_URL", "file:.data/primary.db"),
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
      bodyLimitBytes: e.int("BODY_LIMIT_BYTES", 1 << 20, { min: 1_024, max: 64 << 20 }),
      idempotencyTtlMs: e.int("IDEMPOTENCY_TTL_MS", 24 * 60 * minute, {
        min: minute,
        max: 30 * 24 * 60 * minute,
      }),
    },
  };
  e.done();
  return config;
}
