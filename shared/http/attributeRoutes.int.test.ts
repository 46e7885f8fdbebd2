import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { storefrontClient } from "../client/storefrontClient.ts";
import { responseSchemaOf } from "../openapi/responseSchemas.ts";
import { EventLog } from "../testing/eventLog.ts";
import { attributeValues } from "../views/models/attributeValues/attributeValues.ts";
import { productsByAttribute } from "../views/models/productsByAttribute/productsByAttribute.ts";
import { createMemoryViewStore } from "../views/stores/memory/memoryViewStore.ts";
import { openSqlViewStore } from "../views/stores/sql/openSqlViewStore.ts";
import type { ViewStore } from "../views/viewStore.ts";
import { errorHandler } from "./errorResponses.ts";
import { readRoutes, storeAnswerer } from "./readRoutes.ts";

function catalog() {
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  const add = (id: string, name: string, attributes: Record<string, string | number | boolean>) =>
    log.product({ id, slug: id, name, categoryId: lamps, attributes });
  add("p1", "Cedar lamp", { color: "red", size: 3, "fits/into": "a/b" });
  add("p2", "Alder lamp", { color: "red", size: "3", dimmable: true });
  add("p3", "Birch lamp", { color: "red", color2: "Crème" });
  add("p4", "Plain lamp", { color: "blue" });
  log.archive("p4");
  return log;
}

const stores: Array<[string, () => Promise<ViewStore>]> = [
  ["memory", async () => createMemoryViewStore()],
  ["SQL", () => openSqlViewStore(":memory:")],
];

async function appOver(open: () => Promise<ViewStore>) {
  const store = await open();
  await store.apply(catalog().events);
  const app = new Hono();
  app.onError(errorHandler(() => {}));
  app.route("/v1", readRoutes(storeAnswerer(() => store, "replica")));
  const get = async (path: string) => {
    const res = await app.request(`http://localhost${path}`);
    return { res, body: (await res.json()) as Record<string, unknown> };
  };
  return { store, get, app };
}

describe.each(stores)("attribute read routes over the %s store", (_, open) => {
  it("lists the matching active products by name, paged with the listing's envelope and headers", async () => {
    const { store, get } = await appOver(open);
    const first = await get("/v1/attributes/color/red/products?limit=2");
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get("x-served-by")).toBe("replica");
    expect(first.res.headers.get("x-replica-watermark")).toBe("6");
    const page = responseSchemaOf(productsByAttribute).parse(first.body);
    expect(page.watermark).toBe(6);
    expect(page.products.items.map((p) => p.id)).toEqual(["p2", "p3"]);
    const cursor = page.products.nextCursor ?? "";
    const next = await get(`/v1/attributes/color/red/products?limit=2&cursor=${cursor}`);
    const rest = responseSchemaOf(productsByAttribute).parse(next.body).products;
    expect(rest).toEqual({ items: [expect.objectContaining({ id: "p1" })], nextCursor: null });
    await store.close();
  });

  it("matches numbers and booleans as text and decodes encoded names and values", async () => {
    const { store, get } = await appOver(open);
    const ids = async (path: string) => {
      const { body } = await get(path);
      return responseSchemaOf(productsByAttribute)
        .parse(body)
        .products.items.map((p) => p.id);
    };
    expect(await ids("/v1/attributes/size/3/products")).toEqual(["p2", "p1"]);
    expect(await ids("/v1/attributes/dimmable/true/products")).toEqual(["p2"]);
    expect(await ids("/v1/attributes/fits%2Finto/a%2Fb/products")).toEqual(["p1"]);
    expect(await ids("/v1/attributes/color2/Cr%C3%A8me/products")).toEqual(["p3"]);
    await store.close();
  });

  it("answers an empty page, not a 404, for an unknown attribute or value", async () => {
    const { store, get } = await appOver(open);
    for (const path of ["/v1/attributes/nope/red/products", "/v1/attributes/color/blue/products"]) {
      const { res, body } = await get(path);
      expect(res.status).toBe(200);
      expect(body).toEqual({ products: { items: [], nextCursor: null }, watermark: 6 });
    }
    await store.close();
  });

  it("refuses control characters, overlong input, bad limits and foreign cursors", async () => {
    const { store, get } = await appOver(open);
    const status = async (path: string) => (await get(path)).res.status;
    expect(await status("/v1/attributes/color/re%0Ad/products")).toBe(400);
    expect(await status("/v1/attributes/co%00lor/red/products")).toBe(400);
    expect(await status(`/v1/attributes/${"x".repeat(65)}/red/products`)).toBe(400);
    expect(await status(`/v1/attributes/color/${"x".repeat(501)}/products`)).toBe(400);
    expect(await status("/v1/attributes/color/red/products?cursor=garbage!")).toBe(400);
    expect(await status("/v1/attributes/color/red/products?limit=0")).toBe(422);
    expect(await status("/v1/attributes/co%7Flor")).toBe(400);
    const { body } = await get("/v1/attributes/color/re%0Ad/products");
    expect(body).toMatchObject({ error: { code: "bad_request" } });
    await store.close();
  });

  it("counts an attribute's values over active products", async () => {
    const { store, get } = await appOver(open);
    const { res, body } = await get("/v1/attributes/color");
    expect(res.status).toBe(200);
    expect(responseSchemaOf(attributeValues).parse(body)).toEqual({
      attribute: { name: "color", values: [{ value: "red", count: 3 }] },
      watermark: 6,
    });
    const size = await get("/v1/attributes/size");
    expect(size.body).toEqual({
      attribute: { name: "size", values: [{ value: "3", count: 2 }] },
      watermark: 6,
    });
    expect((await get("/v1/attributes/nope")).body).toEqual({
      attribute: { name: "nope", values: [] },
      watermark: 6,
    });
    await store.close();
  });
});

describe("the storefront client's facet reads", () => {
  it("encodes names and values and follows the cursor", async () => {
    const { store, app } = await appOver(async () => createMemoryViewStore());
    const shop = storefrontClient({
      writeApiUrl: "http://write.invalid",
      readerUrls: "http://localhost",
      fetch: async (input, init) => app.request(String(input), init),
    });
    const sized = await shop.productsByAttribute({ name: "size", value: "3" });
    expect(sized).toMatchObject({ status: 200, servedBy: "replica", watermark: 6 });
    expect(sized.data?.items.map((p) => p.id)).toEqual(["p2", "p1"]);
    const first = await shop.productsByAttribute({ name: "color", value: "red", limit: 2 });
    const rest = await shop.productsByAttribute({
      name: "color",
      value: "red",
      limit: 2,
      cursor: first.data?.nextCursor ?? "",
    });
    expect(rest.data).toEqual({ items: [expect.objectContaining({ id: "p1" })], nextCursor: null });
    expect(
      (await shop.productsByAttribute({ name: "fits/into", value: "a/b" })).data?.items,
    ).toHaveLength(1);
    expect((await shop.attributeValues({ name: "color" })).data).toEqual({
      name: "color",
      values: [{ value: "red", count: 3 }],
    });
    await store.close();
  });
});
