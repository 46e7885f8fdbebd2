import { serve } from "@hono/node-server";
import { startWriteApi } from "../startWriteApi.ts";

const api = await startWriteApi(process.env);
const server = serve(
  { fetch: api.app.fetch, port: api.config.port, hostname: api.config.hostname },
  (info) =>
    console.log(
      JSON.stringify({
        msg: "write-api listening",
        url: `http://${info.address}:${info.port}`,
        runtime: "node",
        primary: api.primary.reads.binding,
      }),
    ),
);
const stop = () => server.close(() => void api.close().then(() => process.exit(0)));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
