import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { consistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { createWriteApi, type WriteApiDeps, type WriteApiSettings } from "../app.ts";
import { timeOrderedIds } from "../commands/ids.ts";
import { openPrimary, type Primary } from "../db/openPrimary.ts";
import { type InlineViews, openInlineViews } from "../views/inlineViews.ts";

export const testSettings: WriteApiSettings = {
  adminToken: "test-admin-token-0123456789",
  readerToken: "test-reader-token-0123456789",
  consistencyTtlMs: 30_000,
  bodyLimitBytes: 1 << 20,
  idempotencyTtlMs: 60 * 60_000,
};
export const testConsistencySecret = "test-consistency-secret-0123";

export interface TestWriteApi {
  app: Hono;
  primary: Primary;
  views: InlineViews;
  dir: string;
  url: string;
  /** POSTs a body to /v1/commands as the admin */
  command(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** A write API on a fresh temp-file primary with the real migrations applied. */
export async function createTestWriteApi(
  overrides: Partial<WriteApiDeps> = {},
): Promise<TestWriteApi> {
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-"));
  const url = `file:${join(dir, "primary.db")}`;
  const primary = await openPrimary({ url, busyTimeoutMs: 200 });
  const views = await openInlineViews(primary.events, {
    url: `file:${join(dir, "primary.views.db")}`,
  });
  const shutDown = new AbortController();
  const app = createWriteApi({
    primary,
    views,
    settings: testSettings,
    tokens: consistencyTokens(testConsistencySecret),
    ids: timeOrderedIds,
    reportFault: () => {},
    signal: shutDown.signal,
    ...overrides,
  });
  return {
    app,
    primary,
    views,
    dir,
    url,
    command: async (body, headers = {}) =>
      app.request("http://localhost/v1/commands", {
        method: "POST",
        headers: {
          authorization: `Bearer ${testSettings.adminToken}`,
          "content-type": "application/json",
          ...headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    async close() {
      shutDown.abort();
      await views.stop();
      primary.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
