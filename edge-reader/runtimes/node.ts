import { serve } from "@hono/node-server";
import { startReader } from "../startReader.ts";

const running = await startReader(process.env, "node");
const { port, hostname, region } = running.config;
const server = serve({ fetch: running.app.fetch, port, hostname }, (info) =>
  console.log(
    JSON.stringify({ msg: "reader listening", region, runtime: "node", port: info.port }),
  ),
);
const stop = () => server.close(() => void running.close().then(() => process.exit(0)));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
