import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import type { WireEvent } from "../../shared/events/types.ts";
import { sequentialIds, writeEventLogHistory } from "../../test/fixtures/eventLogHistory.ts";
import { type EventRow, loadEventLog, readEventRows } from "../../test/fixtures/loadEventLog.ts";
import { restoreEvents } from "../../write-api/eventStore/eventStore.ts";
import {
  createTestWriteApi,
  type TestWriteApi,
  testSettings,
} from "../../write-api/testing/testWriteApi.ts";
import { runRebuildCli } from "./cli.ts";

const fixturePath = join(import.meta.dirname, "../../test/fixtures/catalogLog.v1.jsonl");
const dir = mkdtempSync(join(tmpdir(), "event-log-fixture-"));
let fixture: TestWriteApi;
let current: TestWriteApi;
let rows: EventRow[];

const pull = async (api: TestWriteApi, after = 0, limit = 1_000) => {
  const res = await api.app.request(`http://primary.test/v1/events?after=${after}&limit=${limit}`, {
    headers: { authorization: `Bearer ${testSettings.readerToken}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const allEvents = async (api: TestWriteApi) =>
  ((await pull(api)).body as { events: WireEvent[] }).events;
const statusDigest = async (api: TestWriteApi) =>
  ((await (await api.app.request("http://primary.test/v1/status")).json()) as { digest: string })
    .digest;

/** The rebuild CLI, pulling the primary's `/v1/events` over its own fetch handler. */
async function rebuild(api: TestWriteApi, name: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRebuildCli(["--target", join(dir, name), "--batch-size", "50", "--json"], {
    stdout: (t) => out.push(t),
    stderr: { write: (t) => err.push(t), isTTY: false },
    env: {},
    cwd: dir,
    sourceFor: () =>
      httpEventSource({
        url: "http://primary.test",
        readerToken: testSettings.readerToken,
        fetch: async (input, init) => api.app.request(input, init),
      }),
  });
  return { code, err: err.join(""), summary: code === 0 ? JSON.parse(out.join("")) : null };
}

beforeAll(async () => {
  rows = readEventRows(fixturePath);
  fixture = await createTestWriteApi();
  await loadEventLog(fixture, rows);
  current = await createTestWriteApi({ ids: sequentialIds() });
  await writeEventLogHistory(current);
}, 60_000);
afterAll(async () => {
  await fixture?.close();
  await current?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a log written by the v1 code", () => {
  it("is the fixture it claims to be: every event type, all stored as v1", () => {
    expect(rows.length).toBeGreaterThan(250);
    expect(new Set(rows.map((r) => r.type)).size).toBe(9);
    expect(new Set(rows.map((r) => r.schema_version))).toEqual(new Set([1]));
    const stock = rows.find((r) => r.type === "product.stockAdjusted");
    expect(Object.keys(JSON.parse(stock?.data ?? "{}")).sort()).toEqual(["delta", "id", "stock"]);
  });

  it("is served by /v1/events upcast: the same events the current code writes", async () => {
    const [old, now] = [await allEvents(fixture), await allEvents(current)];
    expect(old).toHaveLength(rows.length);
    const facts = (events: WireEvent[]) => events.map(({ at: _at, meta: _meta, ...e }) => e);
    expect(facts(old)).toEqual(facts(now));
    const adjusted = old.filter((e) => e.type === "product.stockAdjusted");
    expect(adjusted.length).toBeGreaterThan(50);
    for (const e of adjusted) {
      expect(e.schemaVersion).toBe(2);
      expect(Object.keys(e.data).sort()).toEqual(["id", "previousStock", "stock"]);
    }
    // a sold-out adjustment: v1 said delta -26 and stock 0, v2 says it was 26
    const soldOut = JSON.parse(
      rows.find((r) => r.type === "product.stockAdjusted" && JSON.parse(r.data).stock === 0)
        ?.data ?? "{}",
    ) as { id: string; delta: number };
    expect(
      adjusted.find((e) => e.data.id === soldOut.id && e.data.stock === 0)?.data.previousStock,
    ).toBe(-soldOut.delta);
  });

  it("stays stored as v1 while the current code writes v2", async () => {
    const versions = async (api: TestWriteApi) =>
      (
        await api.primary.reads.reader.all(
          "SELECT DISTINCT schema_version AS v FROM events WHERE type = 'product.stockAdjusted'",
        )
      ).map((r) => Number(r.v));
    expect(await versions(fixture)).toEqual([1]);
    expect(await versions(current)).toEqual([2]);
  });

  it("rebuilds through the rebuild CLI to the digest of the same history written today", async () => {
    const old = await rebuild(fixture, "from-v1.db");
    const now = await rebuild(current, "from-v2.db");
    expect(old.code, old.err).toBe(0);
    expect(now.code, now.err).toBe(0);
    expect(old.summary).toMatchObject({ events: rows.length, watermark: rows.length });
    expect(old.summary.digest).toBe(now.summary.digest);
    // and the primary's inline views, caught up from the v1 log, agree too
    expect(await statusDigest(fixture)).toBe(now.summary.digest);
    expect(await statusDigest(current)).toBe(now.summary.digest);
  });
});

describe("an event newer than this code", () => {
  let api: TestWriteApi;
  beforeAll(async () => {
    api = await createTestWriteApi();
    await loadEventLog(api, rows.slice(0, 6));
    // what a later deploy (say a v3 of category.renamed) would have written, then rolled back
    await api.primary.write((tx) =>
      restoreEvents(tx, [
        {
          seq: 7,
          type: "category.renamed",
          aggregate_id: "cat_fx001",
          data: JSON.stringify({ id: "cat_fx001", name: { en: "Clothing" } }),
          schema_version: 3,
          at: rows[0]?.at ?? "",
        },
      ]),
    );
  });
  afterAll(() => api?.close());

  it("is refused by /v1/events with 422 unsupported_event_version", async () => {
    expect(await pull(api, 0, 6)).toMatchObject({ status: 200 });
    const { status, body } = await pull(api, 6);
    expect(status).toBe(422);
    expect(body).toMatchObject({
      error: {
        code: "unsupported_event_version",
        message: expect.stringContaining("category.renamed has schema version 3"),
      },
    });
  });

  it("stops a rebuild with that error instead of skipping the event", async () => {
    const result = await rebuild(api, "future.db");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/422: event 7: category.renamed has schema version 3/);
  });
});
