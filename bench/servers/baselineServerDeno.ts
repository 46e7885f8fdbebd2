import { createClient } from "@libsql/client";
import { createBaselineApp } from "./baselineApp.ts";

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    o: { port: number; hostname: string; onListen: () => void },
    fetch: (r: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

// `PRIMARY_PATH=… PORT=… deno run -A --node-modules-dir=manual bench/servers/baselineServerDeno.ts`:
// the same app, on Deno (@libsql/client's native binding through Deno's Node-API support)
const db = createClient({ url: `file:${Deno.env.get("PRIMARY_PATH")}` });
const server = Deno.serve(
  { port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen: () => {} },
  createBaselineApp(db).fetch,
);
const stop = () => void server.shutdown().then(() => Deno.exit(0));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
