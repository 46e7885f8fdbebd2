import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { createReaderApp, type Reader } from "../../edge-reader/app.ts";
import { readCache } from "../../edge-reader/cache/readCache.ts";
import { createCatchUp } from "../../edge-reader/catchUp/catchUp.ts";
import { newReaderState } from "../../edge-reader/catchUp/readerState.ts";
import { fallbackBudget } from "../../edge-reader/consistency/fallbackBudget.ts";
import { primaryReads } from "../../edge-reader/consistency/primaryReads.ts";
import { qstashVerifier } from "../../edge-reader/ingest/qstashVerifier.ts";
import { createReaderMetrics, instrumentedStore } from "../../edge-reader/metrics/readerMetrics.ts";
import { signPush } from "../../edge-reader/testing/signPush.ts";
import { consistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import type { Logger } from "../../shared/logging/logger.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { turnBatch } from "../../shared/views/stores/turnBatch.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import {
  createTestWriteApi,
  type TestWriteApi,
  testConsistencySecret,
  testSettings,
} from "../../write-api/testing/testWriteApi.ts";

export const signingKeys = {
  current: "sig_current_0123456789abcdef",
  next: "sig_next_0123456789abcdef",
};
export const readerUrl = "http://reader.test";

export interface Harness {
  api: TestWriteApi;
  app: Hono;
  reader: Reader;
  store: ViewStore;
  /** how many cached answers have waited for their turn's end */
  hitWaits(): number;
  /** holds every /v1/events request until released, as a slow or partitioned primary would */
  blockPulls(): () => void;
  /** makes /v1/events answer 503 until called with false */
  failPulls(on: boolean): void;
  log(): Promise<StoredEvent[]>;
  push(
    events: StoredEvent[],
    options?: { key?: string; url?: string; tamper?: (body: string) => string },
  ): Promise<Response>;
  primaryDigest(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real write API (in-process, temp-file primary) and a reader on an
 * embedded SQL store wired to it through the apps' own fetch handlers.
 */
export async function readerHarness(
  options: {
    waitBoundMs?: number;
    budget?: number;
    maxStalenessMs?: number;
    /** the reader's logger (ingest and catch-up) and the write API's */
    log?: Logger;
  } = {},
): Promise<Harness> {
  const api = await createTestWriteApi(options.log ? { log: options.log } : {});
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-reader-"));
  const metrics = createReaderMetrics();
  const store = instrumentedStore(await openSqlViewStore(join(dir, "reader.db")), metrics);
  let gate: Promise<void> | null = null;
  let failing = false;
  const primaryFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).includes("/v1/events") && failing)
      return new Response("down", { status: 503 });
    if (String(input).includes("/v1/events") && gate) await gate;
    return api.app.request(String(input), init);
  }) as typeof fetch;
  const state = newReaderState();
  const together = turnBatch();
  let hitWaits = 0;
  const reader: Reader = {
    metrics,
    identity: { region: "test", runtime: "node", store: "sqlite" },
    store,
    state,
    catchUp: createCatchUp({
      store,
      state,
      source: httpEventSource({
        url: "http://primary.test",
        readerToken: testSettings.readerToken,
        fetch: primaryFetch,
      }),
      pageSize: 25,
      log: options.log?.child({ region: "test" }),
    }),
    verifyPush: qstashVerifier(signingKeys, `${readerUrl}/v1/ingest`),
    ingestBodyLimitBytes: 1 << 20,
    log: options.log?.child({ region: "test" }),
    consistency: {
      tokens: consistencyTokens(testConsistencySecret),
      tokenTtlMs: 30_000,
      waitBoundMs: options.waitBoundMs ?? 100,
      maxStalenessMs: options.maxStalenessMs ?? null,
      budget: fallbackBudget(options.budget ?? 1_000, options.budget ?? 1_000),
      primary: primaryReads({
        writeApiUrl: "http://primary.test",
        readerToken: testSettings.readerToken,
        fetch: primaryFetch,
      }),
      cache: readCache(100),
      // as a Node reader's: a cached answer waits for its turn's end, counted here
      hitsTogether: (work) => {
        hitWaits++;
        return together(work);
      },
    },
  };
  const app = createReaderApp(reader, () => {});
  return {
    api,
    app,
    reader,
    store,
    hitWaits: () => hitWaits,
    blockPulls() {
      let release = () => {};
      gate = new Promise((r) => {
        release = () => {
          gate = null;
          r();
        };
      });
      return release;
    },
    failPulls(on) {
      failing = on;
    },
    async log() {
      const res = await api.app.request("http://primary.test/v1/events?after=0&limit=1000", {
        headers: { authorization: `Bearer ${testSettings.readerToken}` },
      });
      return ((await res.json()) as { events: StoredEvent[] }).events;
    },
    async push(events, o = {}) {
      const body = JSON.stringify({ events });
      const signature = await signPush({
        key: o.key ?? signingKeys.current,
        url: o.url ?? `${readerUrl}/v1/ingest`,
        body,
      });
      return app.request(`${readerUrl}/v1/ingest`, {
        method: "POST",
        headers: { "upstash-signature": signature, "content-type": "application/json" },
        body: o.tamper ? o.tamper(body) : body,
      });
    },
    async primaryDigest() {
      return (
        (await (await api.app.request("http://primary.test/v1/status")).json()) as {
          digest: string;
        }
      ).digest;
    },
    async close() {
      await store.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
