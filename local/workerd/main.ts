import { serveWorker } from "./serveWorker.ts";

// `WORKER_CONFIG=<wrangler.toml> WORKER_VARS=<json> PORT=… [CRON_INTERVAL_MS=…]
//  [WORKER_D1=<json: binding → database id> WORKER_D1_PERSIST=<dir>] node --import tsx local/workerd/main.ts`
// Used by `npm start`'s Worker region and by the bench; `npm run dev:worker` keeps wrangler's dev loop.
const env = process.env;
if (!env.WORKER_CONFIG) throw new Error("WORKER_CONFIG must name a wrangler.toml");
const served = await serveWorker({
  config: env.WORKER_CONFIG,
  vars: JSON.parse(env.WORKER_VARS ?? "{}") as Record<string, string>,
  host: env.HOST ?? "127.0.0.1",
  port: Number(env.PORT ?? 0),
  ...(env.CRON_INTERVAL_MS && { cronIntervalMs: Number(env.CRON_INTERVAL_MS) }),
  ...(env.WORKER_D1 && {
    d1: {
      databases: JSON.parse(env.WORKER_D1) as Record<string, string>,
      persistDir: env.WORKER_D1_PERSIST ?? ".data/d1",
    },
  }),
});
console.log(JSON.stringify({ msg: "worker listening", url: served.url }));
const stop = () => void served.dispose().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
