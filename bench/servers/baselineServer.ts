import { serve } from "@hono/node-server";
import { createClient } from "@libsql/client";
import { createBaselineApp } from "./baselineApp.ts";

// `PRIMARY_PATH=… PORT=… node --import tsx bench/servers/baselineServer.ts`
const db = createClient({ url: `file:${process.env.PRIMARY_PATH}` });
const server = serve({
  fetch: createBaselineApp(db).fetch,
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
