import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createQStashApp } from "./app.ts";
import { createQStashCore, type QStashCore, type QStashCoreOptions } from "./core.ts";
import type { FaultConfig } from "./delivery/faults.ts";
import type { DeliveryStats } from "./delivery/stats.ts";
import type { SigningKeys } from "./signing/signingKeys.ts";

export interface QStashServerOptions extends QStashCoreOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  hostname?: string;
}

/** A running local QStash server and its in-process controls. */
export interface QStashServer {
  /** Base URL to give the SDK `Client` as `baseUrl`. */
  url: string;
  port: number;
  token: string;
  signingKeys(): SigningKeys;
  /** Next becomes current, a new next is generated; the new pair is returned. */
  rotateSigningKeys(): SigningKeys;
  faults(): FaultConfig;
  setFaults(patch: Partial<FaultConfig>): FaultConfig;
  /** True once no delivery is due, held or in flight; false after `timeoutMs`. */
  whenIdle(timeoutMs?: number): Promise<boolean>;
  stats(): DeliveryStats & { pending: number };
  core: QStashCore;
  /** Stops deliveries and the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts a QStash-compatible server that the official `@upstash/qstash`
 * `Client` and `Receiver` work against unchanged.
 *
 * @example
 * const qstash = await createQStashServer({ retry: { baseDelayMs: 1 } });
 * const client = new Client({ baseUrl: qstash.url, token: qstash.token });
 * const receiver = new Receiver({
 *   currentSigningKey: qstash.signingKeys().current,
 *   nextSigningKey: qstash.signingKeys().next,
 * });
 * // …
 * await qstash.close();
 */
export const createQStashServer = async (
  options: QStashServerOptions = {},
): Promise<QStashServer> => {
  const core = createQStashCore(options);
  const app = createQStashApp(core, options.onError);
  const hostname = options.hostname ?? "127.0.0.1";

  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info) =>
        resolve({ server, port: (info as AddressInfo).port }),
      );
      server.once("error", reject);
    },
  );

  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    token: core.token,
    signingKeys: () => core.keys.keys(),
    rotateSigningKeys: () => core.keys.rotate(),
    faults: () => core.faults.config(),
    setFaults(patch) {
      const result = core.faults.update({ ...patch }, core.messages.nextSequence());
      if (!result.ok) throw new Error(result.error);
      return result.config;
    },
    whenIdle: (timeoutMs = 30_000) => core.scheduler.whenIdle(timeoutMs),
    stats: () => ({ ...core.stats, pending: core.scheduler.pending() }),
    core,
    close: () =>
      new Promise<void>((resolve, reject) => {
        core.engine.close();
        core.scheduler.close();
        server.close((error) => (error ? reject(error) : resolve()));
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
};
