import type { FaultConfig } from "./delivery/faults.ts";
import type { QStashServerOptions } from "./server.ts";

type Env = Record<string, string | undefined>;

const FAULT_VARS: Record<keyof FaultConfig, string> = {
  duplicate: "QSTASH_FAULT_DUPLICATE",
  reorder: "QSTASH_FAULT_REORDER",
  drop: "QSTASH_FAULT_DROP",
  delay: "QSTASH_FAULT_DELAY",
  delayMs: "QSTASH_FAULT_DELAY_MS",
  reorderHoldMs: "QSTASH_FAULT_REORDER_HOLD_MS",
  seed: "QSTASH_FAULT_SEED",
};

const number = (env: Env, name: string): number | undefined => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
};

const text = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

/** Drops undefined entries so defaults further down still apply. */
const compact = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Reads the server's configuration from environment variables; missing ones
 * keep their defaults (missing token and signing keys are generated at start).
 * Throws on a value that is not a number where one is needed. Fault fractions
 * are range-checked when the server applies them.
 *
 * @example
 * const options = readQStashEnv(process.env);
 */
export const readQStashEnv = (env: Env): QStashServerOptions => {
  const faults = compact(
    Object.fromEntries(
      Object.entries(FAULT_VARS).map(([key, name]) => [key, number(env, name)]),
    ) as Partial<FaultConfig>,
  );
  const current = text(env, "QSTASH_CURRENT_SIGNING_KEY");
  const next = text(env, "QSTASH_NEXT_SIGNING_KEY");
  return compact({
    port: number(env, "PORT") ?? 8081,
    hostname: text(env, "HOST") ?? "127.0.0.1",
    token: text(env, "QSTASH_TOKEN"),
    signingKeys: compact({ current, next }),
    retry: compact({
      defaultRetries: number(env, "QSTASH_DEFAULT_RETRIES"),
      baseDelayMs: number(env, "QSTASH_RETRY_BASE_MS"),
      maxDelayMs: number(env, "QSTASH_RETRY_MAX_MS"),
    }),
    faults,
    dedupWindowMs: number(env, "QSTASH_DEDUP_WINDOW_MS"),
    deliveryTimeoutMs: number(env, "QSTASH_DELIVERY_TIMEOUT_MS"),
    maxBodyBytes: number(env, "QSTASH_MAX_BODY_BYTES"),
  });
};
