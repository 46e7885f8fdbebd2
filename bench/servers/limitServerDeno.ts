import { createLimitApp } from "./limitApp.ts";

declare const Deno: {
  env: { get(name: string): string | undefined };
  readTextFileSync(path: string): string;
  serve(
    o: { port: number; hostname: string; onListen: () => void },
    fetch: (r: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

// `BODIES_PATH=… PORT=… deno run -A --node-modules-dir=manual bench/servers/limitServerDeno.ts`
const bodies = JSON.parse(Deno.readTextFileSync(String(Deno.env.get("BODIES_PATH")))) as Record<
  string,
  string
>;
const server = Deno.serve(
  { port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen: () => {} },
  createLimitApp(bodies).fetch,
);
const stop = () => void server.shutdown().then(() => Deno.exit(0));
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
