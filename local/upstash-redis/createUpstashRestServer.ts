import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createUpstashRestApp } from "./app.ts";
import { connectRedisGateway } from "./redisGateway/redisGateway.ts";
import { createSyncTokenClock } from "./syncTokenClock.ts";

export interface UpstashRestServerOptions {
  /** The Redis behind the REST API, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** The bearer token clients must send (`UPSTASH_REDIS_REST_TOKEN`). */
  token: string;
  /** Default 0: a free port, read it back from `port`. */
  port?: number;
  /** Default `127.0.0.1`. */
  hostname?: string;
  /** Request bodies above this get 413; default 10 MiB. */
  maxBodyBytes?: number;
  /** Transactions running at once, each on its own connection; default 8. */
  transactionConnections?: number;
}

export interface UpstashRestServer {
  /** Base URL for `new Redis({ url, token })`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops keep-alive connections, closes the Redis connections. */
  close(): Promise<void>;
}

const listen = (app: ReturnType<typeof createUpstashRestApp>, port: number, hostname: string) =>
  new Promise<{ server: Server; address: AddressInfo }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (address) =>
      resolve({ server: server as Server, address }),
    );
    server.once("error", reject);
  });

/**
 * Starts an Upstash-REST-compatible HTTP server in front of a real Redis, so
 * the official `@upstash/redis` client works against it unchanged.
 *
 * @example
 * ```ts
 * const rest = await createUpstashRestServer({ redisUrl: "redis://127.0.0.1:6379", token: "dev" });
 * const redis = new Redis({ url: rest.url, token: "dev" }); // from "@upstash/redis"
 * await redis.set("greeting", "hello");
 * await rest.close();
 * ```
 */
export async function createUpstashRestServer(
  options: UpstashRestServerOptions,
): Promise<UpstashRestServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const gateway = await connectRedisGateway({
    redisUrl: options.redisUrl,
    transactionConnections: options.transactionConnections,
  });
  const app = createUpstashRestApp({
    gateway,
    token: options.token,
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    syncTokens: createSyncTokenClock(),
  });
  let listening: Awaited<ReturnType<typeof listen>>;
  try {
    listening = await listen(app, options.port ?? 0, hostname);
  } catch (error) {
    await gateway.close();
    throw error;
  }
  const { server, address } = listening;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // @upstash/redis keeps connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      await closed;
      await gateway.close();
    },
  };
}
