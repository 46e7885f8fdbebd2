import { createClient } from "@libsql/client";
import { createBaselineApp } from "./baselineApp.ts";

declare const Bun: {
  serve(o: {
    fetch: (r: Request) => Response | Promise<Response>;
    port: number;
    hostname: string;
  }): {
    stop(): Promise<void>;
  };
};

// `PRIMARY_PATH=… PORT=… bun bench/servers/baselineServerBun.ts`: the same app, on Bun
const db = createClient({ url: `file:${process.env.PRIMARY_PATH}` });
const server = Bun.serve({
  fetch: createBaselineApp(db).fetch,
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
});
const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
