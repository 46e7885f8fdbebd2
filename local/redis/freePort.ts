import { createServer } from "node:net";

/**
 * Asks the OS for a currently free TCP port on `host`.
 *
 * The port is released before it is returned, so another process may grab it
 * first: callers that then bind it must be ready to retry.
 *
 * @example
 * ```ts
 * const port = await findFreePort("127.0.0.1");
 * ```
 */
export const findFreePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error(`could not read the port of a probe server on ${host}`));
      });
    });
  });
