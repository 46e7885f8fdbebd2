import { serveWorker } from "./serveWorker.ts";

// `WORKER_CONFIG=<wrangler.toml> WORKER_VARS=<json> PORT=… [CRON_INTERVAL_MS=…] node --import tsx local/workerd/main.ts`
// Used by `npm start`'s Worker region and by the bench; `npm run dev:worker` keeps wrangler's dev loop.
const env = process.env;
if (!env.WORKER_CONFIG) throw new Error("WORKER_CONFIG must name a wrangler.toml");
const served = await serveWorker({
  config: env.WORKER_CONFIG,
  vars: JSON.parse(env.WORKER_VARS ?? "{}") as Record<string, string>,
  host: env.HOST ?? "127.0.0.1",
  port: Number(env.PORT ?? 0),
  ...(env.CRON_INTERVAL_MS && { cronIntervalMs: Number(env.CRON_INTERVAL_MS) }),
});
console.log(JSON.stringify({ msg: "worker listening", url: served.url }));
const stop = () => void served.dispose().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
