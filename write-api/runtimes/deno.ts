import { startWriteApi } from "../startWriteApi.ts";

const api = await startWriteApi(Deno.env.toObject());
const server = Deno.serve(
  {
    port: api.config.port,
    hostname: api.config.hostname,
    onListen: ({ hostname, port }) =>
      console.log(
        JSON.stringify({
          msg: "write-api listening",
          url: `http://${hostname}:${port}`,
          runtime: "deno",
          primary: api.primary.reads.binding,
        }),
      ),
  },
  api.app.fetch,
);
const stop = () =>
  void server
    .shutdown()
    .then(() => api.close())
    .then(() => Deno.exit(0));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
