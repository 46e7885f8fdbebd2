import { startReader } from "../startReader.ts";

const running = await startReader(process.env, "bun");
const { port, hostname, region } = running.config;
const server = Bun.serve({ fetch: running.app.fetch, port, hostname });
console.log(JSON.stringify({ msg: "reader listening", region, runtime: "bun", port: server.port }));
const stop = () =>
  void server
    .stop()
    .then(() => running.close())
    .then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
