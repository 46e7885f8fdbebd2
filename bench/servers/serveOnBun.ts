declare const Bun: {
  serve(o: {
    fetch: (r: Request) => Response | Promise<Response>;
    port: number;
    hostname: string;
  }): {
    stop(): Promise<void>;
  };
};

/** Serves `fetch` on loopback at `$PORT` until SIGINT or SIGTERM, as every bench server does. */
export function serveOnBun(fetch: (r: Request) => Response | Promise<Response>): void {
  const server = Bun.serve({ fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
