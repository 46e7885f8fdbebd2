import { readFileSync } from "node:fs";
import { createLimitApp } from "./limitApp.ts";

declare const Bun: {
  serve(o: {
    fetch: (r: Request) => Response | Promise<Response>;
    port: number;
    hostname: string;
  }): {
    stop(): Promise<void>;
  };
};

// `BODIES_PATH=… PORT=… bun bench/servers/limitServerBun.ts`
const bodies = JSON.parse(readFileSync(String(process.env.BODIES_PATH), "utf8")) as Record<
  string,
  string
>;
const server = Bun.serve({
  fetch: createLimitApp(bodies).fetch,
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
});
const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
