import { createConnection } from "node:net";

/** What one probe of a port learned. */
export interface RedisProbe {
  /** A Redis server answered and is not still loading its data set. */
  readonly answered: boolean;
  /** The answering server's pid, unless it wants a password first. */
  readonly pid?: number;
}

/**
 * Sends an inline `PING` and `INFO server` and reports who answered. The pid matters:
 * when a new server cannot bind its port, the old server already on that port
 * answers, and a bare PING would mistake it for the new one.
 *
 * @example
 * ```ts
 * const { answered, pid } = await probeRedis(6379, "127.0.0.1", 500);
 * ```
 */
export const probeRedis = (port: number, host: string, timeoutMs: number): Promise<RedisProbe> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let received = "";
    const finish = (probe: RedisProbe) => {
      socket.destroy();
      resolve(probe);
    };
    socket.setTimeout(timeoutMs, () => finish({ answered: false }));
    socket.once("error", () => finish({ answered: false }));
    socket.once("close", () => finish({ answered: false }));
    socket.once("connect", () => socket.write("PING\r\nINFO server\r\n"));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const pid = received.match(/\r\nprocess_id:(\d+)\r\n/)?.[1];
      if (received.startsWith("+PONG") && pid !== undefined)
        finish({ answered: true, pid: Number(pid) });
      // -NOAUTH: up, only wants a password; -LOADING and the like: not ready yet.
      else if (received.startsWith("-") && received.includes("\r\n")) {
        finish({ answered: received.startsWith("-NOAUTH") });
      }
    });
  });
