import { Redis, type RedisOptions, ReplyError } from "ioredis";
import type { CommandArgs, RespReply, TransactionOutcome } from "../protocol/reply.ts";
import { createPool } from "./connectionPool.ts";
import { toReply } from "./toReply.ts";

/** Runs REST requests against one Redis server and hands back typed replies. */
export interface RedisGateway {
  /** One command on the shared connection; a Redis error is a reply, not a rejection. */
  command(args: CommandArgs): Promise<RespReply>;
  /** In order on the shared connection; other requests may interleave (as on Upstash). */
  pipeline(commands: readonly CommandArgs[]): Promise<RespReply[]>;
  /** MULTI … EXEC on a connection no other request uses meanwhile. */
  transaction(commands: readonly CommandArgs[]): Promise<TransactionOutcome>;
  close(): Promise<void>;
}

export interface RedisGatewayOptions {
  /** `redis://[user:password@]host:port[/db]` */
  redisUrl: string;
  /** Most transactions running at once; more wait for a connection. Default 8. */
  transactionConnections?: number;
}

const BASE_OPTIONS: RedisOptions = {
  // RESP2 keeps doubles as bulk strings (Upstash returns scores as strings) and
  // stringNumbers keeps integers as digits, so neither is confused or rounded.
  protocol: 2,
  stringNumbers: true,
  lazyConnect: true,
  enableAutoPipelining: false,
  // After a reconnect, a resent INCR would run twice.
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
};

// The connection factory for transactions: no offline queue and no reconnects,
// so a MULTI can never be replayed half-way on a fresh connection.
const TRANSACTION_OPTIONS: RedisOptions = {
  ...BASE_OPTIONS,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
  connectionName: "upstash-rest-multi",
};

// ioredis rewrites arguments and replies of some commands, keyed by their lower-case
// name: HGETALL becomes an object, ZRANGE … WITHSCORES pairs, a lone Buffer after
// HSET key is spread into fields. Redis ignores case, so the upper-case name
// reaches it unchanged while every ioredis transformer is skipped.
const send = (client: Redis, [name, ...args]: CommandArgs): Promise<RespReply> =>
  client
    .callBuffer(name?.toString("utf8").toUpperCase() ?? "", ...args)
    .then(toReply, (error: unknown) => {
      if (error instanceof ReplyError) return { type: "error", message: (error as Error).message };
      throw error;
    });

const settle = (outcomes: PromiseSettledResult<RespReply>[]): RespReply[] =>
  outcomes.map((outcome) => {
    if (outcome.status === "fulfilled") return outcome.value;
    throw outcome.reason;
  });

/**
 * Connects to Redis (failing fast when it is unreachable) and returns the gateway.
 *
 * @example
 * ```ts
 * const gateway = await connectRedisGateway({ redisUrl: "redis://127.0.0.1:6379" });
 * await gateway.command([Buffer.from("PING")]); // { type: "string", bytes: <PONG> }
 * await gateway.close();
 * ```
 */
export async function connectRedisGateway(options: RedisGatewayOptions): Promise<RedisGateway> {
  const shared = new Redis(options.redisUrl, { ...BASE_OPTIONS, connectionName: "upstash-rest" });
  // Failures reach callers through rejected commands; the event only needs a listener.
  shared.on("error", () => undefined);
  try {
    await shared.connect();
  } catch (error) {
    shared.disconnect();
    throw new Error(`cannot reach Redis at ${options.redisUrl}: ${(error as Error).message}`);
  }

  const pool = createPool<Redis>({
    max: options.transactionConnections ?? 8,
    async create() {
      const client = new Redis(options.redisUrl, TRANSACTION_OPTIONS);
      client.on("error", () => undefined);
      await client.connect();
      return client;
    },
    destroy: async (client) => client.disconnect(),
  });

  const transaction = async (commands: readonly CommandArgs[]): Promise<TransactionOutcome> => {
    const client = await pool.acquire();
    try {
      // Queued without awaiting so they go out back to back on this connection.
      const multi = send(client, [Buffer.from("MULTI")]);
      const queued = commands.map((command) => send(client, command));
      const exec = send(client, [Buffer.from("EXEC")]);
      const [opened, ...rest] = settle(await Promise.allSettled([multi, ...queued, exec]));
      const executed = rest.pop();
      const queueErrors = rest.flatMap((reply, i) =>
        reply.type === "error" ? [`command ${i + 1}: ${reply.message}`] : [],
      );
      pool.release(client, client.status === "ready");
      if (opened?.type === "error") return { kind: "discarded", message: opened.message };
      if (executed?.type !== "array") {
        const why = executed?.type === "error" ? executed.message : "EXECABORT";
        return { kind: "discarded", message: [why, ...queueErrors].join(" ") };
      }
      return { kind: "executed", replies: executed.items };
    } catch (error) {
      pool.release(client, false);
      throw error;
    }
  };

  return {
    command: (args) => send(shared, args),
    pipeline: async (commands) =>
      settle(await Promise.allSettled(commands.map((command) => send(shared, command)))),
    transaction,
    async close() {
      await pool.close();
      await shared.quit().catch(() => shared.disconnect());
    },
  };
}
