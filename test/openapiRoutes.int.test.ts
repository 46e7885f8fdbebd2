import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReaderApp } from "../edge-reader/app.ts";
import { buildReader } from "../edge-reader/buildReader.ts";
import { loadReaderConfig } from "../edge-reader/config.ts";
import { routeCoverage } from "../shared/openapi/routeCoverage.ts";
import { createMemoryViewStore } from "../shared/views/stores/memory/memoryViewStore.ts";
import {
  createTestWriteApi,
  type TestWriteApi,
  testSettings,
} from "../write-api/testing/testWriteApi.ts";
import { responseValidator } from "./openapiValidator.ts";

const secret = "openapi-test-secret-0123456789";
const reader = createReaderApp(
  buildReader(
    loadReaderConfig({
      READER_TOKEN: secret,
      CONSISTENCY_SECRET: secret,
      QSTASH_CURRENT_SIGNING_KEY: secret,
      QSTASH_NEXT_SIGNING_KEY: secret,
    }),
    createMemoryViewStore(),
    "node",
  ),
  () => {},
);
let writeApi: TestWriteApi;
beforeAll(async () => {
  writeApi = await createTestWriteApi();
});
afterAll(() => writeApi.close());

describe("the OpenAPI documents against the apps' registered routes", () => {
  it.each(["write API", "edge reader"])(
    "%s: every route documented, every path routed",
    async (name) => {
      const app = name === "write API" ? writeApi.app : reader;
      const res = await app.request("http://localhost/openapi.json");
      expect(res.status).toBe(200);
      const document = (await res.json()) as Record<string, unknown>;
      expect(routeCoverage(app.routes, document)).toEqual({ undocumented: [], unrouted: [] });
      expect(app.routes.filter((r) => r.method !== "ALL").length).toBeGreaterThan(8);
    },
  );

  it.each(["write API", "edge reader"])("%s: /docs is a self-contained HTML page", async (name) => {
    const app = name === "write API" ? writeApi.app : reader;
    const res = await app.request("http://localhost/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("/v1/status");
    expect(html).not.toMatch(/<script|<link/);
  });
});

describe("real answers match the documents' response schemas", () => {
  it("write API: a command, the log, a primary read, status", async () => {
    const get = async (path: string) =>
      (
        await writeApi.app.request(`http://localhost${path}`, {
          headers: { authorization: `Bearer ${testSettings.readerToken}` },
        })
      ).json();
    const document = (await get("/openapi.json")) as Record<string, unknown>;
    const check = responseValidator(document);
    const res = await writeApi.command({
      commands: [
        { type: "category.create", slug: "hats", name: "Hats" },
        {
          type: "product.create",
          sku: "HAT-1",
          slug: "felt-hat",
          name: "Felt hat",
          description: "Warm",
          categorySlug: "hats",
          price: { amount: 3900, currency: "EUR" },
          stock: 5,
          status: "active",
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(check("/v1/commands", "post", await res.json())).toEqual([]);
    expect(check("/v1/events", "get", await get("/v1/events"))).toEqual([]);
    expect(check("/v1/status", "get", await get("/v1/status"))).toEqual([]);
    expect(check("/healthz", "get", await get("/healthz"))).toEqual([]);
    const reads: [string, string][] = [
      ["/v1/read/products/{slug}", "/v1/read/products/felt-hat"],
      ["/v1/read/categories", "/v1/read/categories"],
      ["/v1/read/categories/{slug}/products", "/v1/read/categories/hats/products"],
      ["/v1/read/categories/{slug}/stats", "/v1/read/categories/hats/stats"],
      ["/v1/read/search", "/v1/read/search?q=felt"],
    ];
    for (const [template, url] of reads) {
      expect(check(template, "get", await get(url)), template).toEqual([]);
    }
    expect(check("/v1/status", "get", { role: "primary" })).not.toEqual([]);
  });

  it("edge reader: status", async () => {
    const document = (await (
      await reader.request("http://localhost/openapi.json")
    ).json()) as Record<string, unknown>;
    const status = await (await reader.request("http://localhost/v1/status")).json();
    expect(responseValidator(document)("/v1/status", "get", status)).toEqual([]);
  });
});
