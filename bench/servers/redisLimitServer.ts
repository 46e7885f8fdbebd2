import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Redis } from "@upstash/redis";
import { Hono } from "hono";
import { turnBatch } from "../../shared/views/stores/turnBatch.ts";

// `BODIES_PATH=… UPSTASH_REDIS_REST_URL=… UPSTASH_REDIS_REST_TOKEN=… PORT=… node --import tsx
// bench/servers/redisLimitServer.ts`
//
// The physical limit of a Redis reader on Node: per request one GET of one
// constant key through the local Upstash REST server, with the client the
// Redis reader itself builds (edge-reader/stores/openStore.ts) and, as it
// does, the GETs of a turn started together (so auto-pipelining sends them in
// one request), the text returned as the body. One key per read kind, holding
// the SQL reader's answer for it (as the constant-body limits serve), set once here.
const keyOf = (kind: string) => `bench:redis-limit:${kind}`;
const bodies = JSON.parse(readFileSync(String(process.env.BODIES_PATH), "utf8")) as Record<
  string,
  string
>;
const redis = new Redis({
  url: String(process.env.UPSTASH_REDIS_REST_URL),
  token: String(process.env.UPSTASH_REDIS_REST_TOKEN),
  automaticDeserialization: false,
});
for (const [kind, body] of Object.entries(bodies)) await redis.set(keyOf(kind), body);

const later = turnBatch();
const app = new Hono();
app.get("/healthz", (c) => c.json({ ok: true }));
app.get("/limit/:kind", async (c) => {
  const key = keyOf(c.req.param("kind"));
  const body = await later(() => redis.get<string>(key));
  if (body === null) return c.notFound();
  return c.body(body, 200, { "content-type": "application/json" });
});
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
