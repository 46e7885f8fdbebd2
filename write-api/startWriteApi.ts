import type { Hono } from "hono";
import type { Env } from "../shared/config/envReader.ts";
import { consistencyTokens } from "../shared/consistency/consistencyToken.ts";
import { createWriteApi } from "./app.ts";
import { randomIds } from "./commands/ids.ts";
import { loadWriteApiConfig, type WriteApiConfig } from "./config.ts";
import { openPrimary, type Primary } from "./db/openPrimary.ts";

export interface RunningWriteApi {
  app: Hono;
  config: WriteApiConfig;
  primary: Primary;
  close(): Promise<void>;
}

/**
 * Builds the whole write API from env: the runtime entries (Node, Bun, Deno)
 * only add their own `serve`.
 */
export async function startWriteApi(env: Env): Promise<RunningWriteApi> {
  const config = loadWriteApiConfig(env);
  const primary = await openPrimary(config.database);
  const app = createWriteApi({
    primary,
    settings: config.settings,
    tokens: consistencyTokens(config.consistencySecret),
    ids: randomIds,
  });
  return {
    app,
    config,
    primary,
    async close() {
      primary.close();
    },
  };
}
