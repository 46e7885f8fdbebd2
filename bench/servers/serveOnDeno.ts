declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    o: { port: number; hostname: string; onListen: () => void },
    fetch: (r: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

/** A bench server's setting, from Deno's environment. */
export const denoEnv = (name: string): string => String(Deno.env.get(name));

/** Serves `fetch` on loopback at `$PORT` until SIGINT or SIGTERM, as every bench server does. */
export function serveOnDeno(fetch: (r: Request) => Response | Promise<Response>): void {
  const server = Deno.serve(
    { port: Number(denoEnv("PORT")), hostname: "127.0.0.1", onListen: () => {} },
    fetch,
  );
  const stop = () => void server.shutdown().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
