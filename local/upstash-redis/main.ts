import { type RedisServer, startRedisServer } from "../redis/redisServer.ts";
import { configFromEnv } from "./config.ts";
import { createUpstashRestServer } from "./createUpstashRestServer.ts";

// Entry point: `tsx local/upstash-redis/main.ts`. Configuration: see config.ts and README.md.
const config = configFromEnv(process.env);
const ownRedis: RedisServer | undefined =
  config.redisUrl === undefined ? await startRedisServer() : undefined;
const redisUrl = config.redisUrl ?? ownRedis?.url ?? "";

const server = await createUpstashRestServer({
  redisUrl,
  token: config.token,
  port: config.port,
  hostname: config.hostname,
}).catch(async (error: unknown) => {
  await ownRedis?.stop();
  throw error;
});

console.log(`local Upstash REST server on ${server.url}, backed by ${redisUrl}`);
console.log(`UPSTASH_REDIS_REST_URL=${server.url}`);
console.log(`UPSTASH_REDIS_REST_TOKEN=${config.token}${config.defaultToken ? " (default)" : ""}`);

const shutdown = async () => {
  await server.close();
  await ownRedis?.stop();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
