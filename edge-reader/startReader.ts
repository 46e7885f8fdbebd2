import type { Hono } from "hono";
import type { Env } from "../shared/config/envReader.ts";
import { httpEventSource } from "../shared/events/eventSource.ts";
import { startBackgroundBuild } from "../shared/views/generations/backgroundBuild.ts";
import { createReaderApp, type Reader } from "./app.ts";
import { buildReader } from "./buildReader.ts";
import { reconcileOnce } from "./catchUp/reconcile.ts";
import { startReconcileTimer } from "./catchUp/reconcileTimer.ts";
import { loadReaderConfig, type ReaderConfig } from "./config.ts";
import { openStore } from "./stores/openStore.ts";

export interface RunningReader {
  app: Hono;
  config: ReaderConfig;
  reader: Reader;
  close(): Promise<void>;
}

/**
 * A reader for Node, Bun and Deno, built from env: opens the configured
 * store, starts the reconcile timer; the runtime entries add their `serve`.
 */
export async function startReader(env: Env, runtime: string): Promise<RunningReader> {
  const config = loadReaderConfig(env);
  const store = await openStore(
    config,
    httpEventSource({ url: config.writeApiUrl, readerToken: config.readerToken }),
  );
  const builder = startBackgroundBuild(store, {
    idleMs: config.viewBuildIdleMs,
    maxEvents: config.viewBuildStepEvents,
    pauseMs: config.viewBuildPauseMs,
    onError: (error) => reader.log?.error("view build step failed", { error: String(error) }),
  });
  const reader = buildReader(config, store, runtime, {
    store,
    kick: () => {
      builder.kick();
      return undefined;
    },
  });
  const reconcile = startReconcileTimer(
    reconcileOnce(reader.catchUp, reader.selfHeal),
    config.reconcileIntervalMs,
  );
  return {
    app: createReaderApp(reader),
    config,
    reader,
    async close() {
      builder.stop();
      reconcile.stop();
      await store.close();
    },
  };
}
