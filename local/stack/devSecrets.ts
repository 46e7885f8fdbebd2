import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface DevSecrets {
  adminToken: string;
  readerToken: string;
  consistencySecret: string;
  qstashToken: string;
  qstashCurrentSigningKey: string;
  qstashNextSigningKey: string;
  redisRestToken: string;
}

const fresh = (prefix: string) => `${prefix}_${randomBytes(18).toString("base64url")}`;

/**
 * Secrets for the local stack: taken from env when set, else generated once
 * and kept in `.data/secrets.json`, so a restarted stack keeps its tokens.
 */
export function loadDevSecrets(
  path: string,
  env: NodeJS.ProcessEnv,
): { secrets: DevSecrets; generated: boolean } {
  const saved: Partial<DevSecrets> = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const secrets: DevSecrets = {
    adminToken: env.ADMIN_TOKEN ?? saved.adminToken ?? fresh("admin"),
    readerToken: env.READER_TOKEN ?? saved.readerToken ?? fresh("reader"),
    consistencySecret: env.CONSISTENCY_SECRET ?? saved.consistencySecret ?? fresh("rv"),
    qstashToken: env.QSTASH_TOKEN ?? saved.qstashToken ?? fresh("qstash"),
    qstashCurrentSigningKey:
      env.QSTASH_CURRENT_SIGNING_KEY ?? saved.qstashCurrentSigningKey ?? fresh("sig"),
    qstashNextSigningKey: env.QSTASH_NEXT_SIGNING_KEY ?? saved.qstashNextSigningKey ?? fresh("sig"),
    redisRestToken: env.UPSTASH_REDIS_REST_TOKEN ?? saved.redisRestToken ?? fresh("redis"),
  };
  const generated = JSON.stringify(saved) !== JSON.stringify(secrets);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, generated };
}
