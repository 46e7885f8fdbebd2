import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReaderApp } from "../edge-reader/app.ts";
import { buildReader } from "../edge-reader/buildReader.ts";
import { loadReaderConfig } from "../edge-reader/config.ts";
import { memoryEventSource } from "../shared/events/eventSource.ts";
import { readerStatusSchema } from "../shared/status/readerStatus.ts";
import { writeApiStatusSchema } from "../shared/status/writeApiStatus.ts";
import { generateHistory } from "../shared/testing/randomHistory.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../shared/views/models/readModelVersions.ts";
import { openViewDb } from "../shared/views/stores/sql/openSqlViewStore.ts";
import { sqlViewNamespaces } from "../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion } from "../shared/views/stores/sql/tables.ts";
import { createTestWriteApi, type TestWriteApi } from "../write-api/testing/testWriteApi.ts";
import { responseValidator } from "./openapiValidator.ts";

type Json = Record<string, unknown>;

const secret = "status-test-secret-0123456789";
const adminToken = "status-test-admin-0123456789";
const events = generateHistory(60, 17);

// A reader on generational views with every nullable part of its status filled:
// a new generation half built, a poisoned push on record, the primary heard from.
let store: GenerationalStore;
let reader: ReturnType<typeof createReaderApp>;
let writeApi: TestWriteApi;
beforeAll(async () => {
  store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(await openViewDb(":memory:")),
    log: memoryEventSource(events),
    versions: readModelVersions,
    layout: viewSchemaVersion,
    pageSize: 10,
    applyBatch: 10,
  });
  await store.apply(events.slice(0, 50));
  const built = buildReader(
    loadReaderConfig({
      READER_TOKEN: secret,
      CONSISTENCY_SECRET: secret,
      QSTASH_CURRENT_SIGNING_KEY: secret,
      QSTASH_NEXT_SIGNING_KEY: secret,
      READER_ADMIN_TOKEN: adminToken,
    }),
    store,
    "node",
    { store, kick: () => undefined },
  );
  const now = Date.now();
  Object.assign(built.state, {
    knownHead: 60,
    lastApplyAt: now - 2_000,
    lastHeardAt: now - 1_000,
    lastPoison: {
      at: now - 500,
      message: "the push could not be applied to this reader's views",
      details: { from: 51, to: 52, error: "TypeError" },
    },
  });
  reader = createReaderApp(built, () => {});
  writeApi = await createTestWriteApi();
});
afterAll(async () => {
  await store.close();
  await writeApi.close();
});

const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Json;
const readerDocument = () => json(reader.request("http://localhost/openapi.json"));

describe("GET /v1/status against the OpenAPI document, field for field", () => {
  it("a reader mid-rebuild with a poison on record answers exactly the documented ReaderStatus", async () => {
    const check = responseValidator(await readerDocument());
    const rebuild = await reader.request("http://localhost/v1/admin/rebuild", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(rebuild.status).toBe(202);
    expect(check("/v1/admin/rebuild", "post", await rebuild.json(), "202")).toEqual([]);
    await store.buildStep(10);

    const status = await json(reader.request("http://localhost/v1/status"));
    expect(status).toMatchObject({
      role: "replica",
      watermark: 50,
      lagEvents: 10,
      lastPoison: { details: { to: 52 } },
      generation: { building: { head: 60 } },
    });
    expect(check("/v1/status", "get", status)).toEqual([]);
    // The zod schema the clients parse with is the document's: same fields, nothing stripped.
    expect(Object.keys(status).sort()).toEqual(Object.keys(readerStatusSchema.shape).sort());
    expect(readerStatusSchema.parse(status)).toEqual(status);
  });

  it("refuses a reader status with a field added, dropped or renamed, at any depth", async () => {
    const check = responseValidator(await readerDocument());
    const status = await json(reader.request("http://localhost/v1/status"));
    const { digest, ...withoutDigest } = status;
    const generation = status.generation as Json;
    const variants: Record<string, Json> = {
      added: { ...status, region2: "eu" },
      dropped: withoutDigest,
      renamed: { ...withoutDigest, digests: digest },
      "added in generation": { ...status, generation: { ...generation, phase: "x" } },
      "poison without its time": {
        ...status,
        lastPoison: { message: "m", details: null },
      },
    };
    for (const [name, body] of Object.entries(variants)) {
      expect(check("/v1/status", "get", body), name).not.toEqual([]);
    }
  });

  it("the write API answers exactly the documented WriteApiStatus, generation included", async () => {
    const document = await json(writeApi.app.request("http://localhost/openapi.json"));
    const check = responseValidator(document);
    const status = await json(writeApi.app.request("http://localhost/v1/status"));
    expect(check("/v1/status", "get", status)).toEqual([]);
    expect(Object.keys(status).sort()).toEqual(Object.keys(writeApiStatusSchema.shape).sort());
    const { generation: _g, ...withoutGeneration } = status;
    expect(check("/v1/status", "get", withoutGeneration)).not.toEqual([]);
    expect(check("/v1/status", "get", { ...status, lag: 0 })).not.toEqual([]);
  });
});
