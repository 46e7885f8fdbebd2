// Test support only: the store never imports this file.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis, type RedisConfigNodejs } from "@upstash/redis";

// The local Upstash REST server runs as the program it is (local/upstash-redis/main.ts:
// startRedisServer + createUpstashRestServer), not as an import: edge-reader/ code,
// tests included, must not import the local stand-ins (test/architecture.unit.test.ts).
const mainScript = fileURLToPath(
  new URL("../../../../local/upstash-redis/main.ts", import.meta.url),
);
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;

export interface LocalUpstash {
  readonly url: string;
  readonly token: string;
  /** An official client; `options` as for `new Redis()`, telemetry off. */
  client(options?: Partial<RedisConfigNodejs>): Redis;
  /** Stops the REST server and its redis-server; idempotent. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

function waitForUrl(child: ChildProcess): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local Upstash did not start in time:\n${output}`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = /^UPSTASH_REDIS_REST_URL=(\S+)$/m.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local Upstash exited (${code}) while starting:\n${output}`));
    });
  });
}

/**
 * Starts `local/upstash-redis/main.ts` on a free port with a throwaway
 * redis-server behind it, and resolves once it listens.
 *
 * @example
 * const upstash = await startLocalUpstash();
 * const redis = upstash.client({ automaticDeserialization: false });
 * await upstash.stop();
 */
export async function startLocalUpstash(): Promise<LocalUpstash> {
  const token = `test-${crypto.randomUUID()}`;
  const child = spawn(process.execPath, ["--import", "tsx", mainScript], {
    env: { ...process.env, PORT: "0", UPSTASH_REDIS_REST_TOKEN: token, REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // SIGTERM lets main.ts stop its redis-server too, even if this process dies first.
  const terminate = () => child.kill("SIGTERM");
  process.once("exit", terminate);
  let url: string;
  try {
    url = await waitForUrl(child);
  } catch (error) {
    terminate();
    await exited(child);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    token,
    client: (options = {}) => new Redis({ url, token, enableTelemetry: false, ...options }),
    stop() {
      stopping ??= (async () => {
        process.off("exit", terminate);
        terminate();
        const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
        await exited(child);
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
