import { startReader } from "../startReader.ts";

const running = await startReader(Deno.env.toObject(), "deno");
const { port, hostname, region } = running.config;
const server = Deno.serve({ port, hostname, onListen: () => {} }, running.app.fetch);
console.log(JSON.stringify({ msg: "reader listening", region, runtime: "deno", port }));
const stop = () =>
  void server
    .shutdown()
    .then(() => running.close())
    .then(() => Deno.exit(0));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
