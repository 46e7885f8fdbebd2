import { startWriteApi } from "../startWriteApi.ts";

const api = await startWriteApi(process.env);
const server = Bun.serve({
  fetch: api.app.fetch,
  port: api.config.port,
  hostname: api.config.hostname,
});
console.log(
  JSON.stringify({
    msg: "write-api listening",
    url: `http://${server.hostname}:${server.port}`,
    runtime: "bun",
    primary: api.primary.reads.binding,
  }),
);
const stop = () =>
  void server
    .stop()
    .then(() => api.close())
    .then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
