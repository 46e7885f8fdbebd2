import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { createLimitApp } from "./limitApp.ts";

// `BODIES_PATH=… PORT=… node --import tsx bench/servers/limitServer.ts`
const bodies = JSON.parse(readFileSync(String(process.env.BODIES_PATH), "utf8")) as Record<
  string,
  string
>;
const server = serve({
  fetch: createLimitApp(bodies).fetch,
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
