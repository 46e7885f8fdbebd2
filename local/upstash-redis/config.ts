/** What `main.ts` needs, read from the environment. */
export interface MainConfig {
  readonly port: number;
  readonly hostname: string;
  /** Unset: main starts (and later stops) its own redis-server. */
  readonly redisUrl: string | undefined;
  readonly token: string;
  /** True when the token is the built-in development default. */
  readonly defaultToken: boolean;
}

const DEV_TOKEN = "local-upstash-token";

/**
 * Reads `PORT` (8079), `HOST` (127.0.0.1), `REDIS_URL` and `UPSTASH_REDIS_REST_TOKEN`.
 *
 * @example
 * ```ts
 * configFromEnv({ PORT: "9000" }).port; // 9000
 * ```
 */
export const configFromEnv = (env: Readonly<Record<string, string | undefined>>): MainConfig => {
  const port = Number(env.PORT ?? "8079");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  const token = env.UPSTASH_REDIS_REST_TOKEN || undefined;
  return {
    port,
    hostname: env.HOST || "127.0.0.1",
    redisUrl: env.REDIS_URL || undefined,
    token: token ?? DEV_TOKEN,
    defaultToken: token === undefined,
  };
};
