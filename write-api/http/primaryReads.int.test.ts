import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

let api: TestWriteApi;
const read = (path: string, token: string | null = testSettings.readerToken) =>
  api.app.request(`http://localhost/v1/read${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

beforeAll(async () => {
  api = await createTestWriteApi();
  const res = await api.command({
    commands: [
      categoryCreate("shoes"),
      productCreate("red-shoe", "shoes", {
        status: "active",
        price: { amount: 4_999, currency: "EUR" },
      }),
      productCreate("draft-shoe", "shoes"),
    ],
  });
  expect(res.status).toBe(200);
});
afterAll(() => api.close());

describe("primary reads from the inline views", () => {
  it("answer a write at once, pre-joined, with who served it and at which version", async () => {
    const res = await read("/products/red-shoe");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("primary");
    expect(res.headers.get("x-replica-watermark")).toBe("3");
    const body = (await res.json()) as { product: Record<string, unknown>; watermark: number };
    expect(body.watermark).toBe(3);
    expect(body.product).toMatchObject({
      slug: "red-shoe",
      price: { amount: 4_999, currency: "EUR" },
      category: { slug: "shoes" },
      version: 2,
    });
  });

  it("commit in the command's transaction: a rename shows on the product page at the command's version", async () => {
    const nav = (await (await read("/categories")).json()) as {
      categories: { id: string; slug: string }[];
    };
    const shoes = nav.categories.find((c) => c.slug === "shoes");
    const renamed = await api.command({ type: "category.rename", id: shoes?.id, name: "Footwear" });
    const { version } = (await renamed.json()) as { version: number };
    const res = await read("/products/red-shoe");
    expect(res.headers.get("x-replica-watermark")).toBe(String(version));
    expect(
      ((await res.json()) as { product: { category: { name: string } } }).product.category.name,
    ).toBe("Footwear");
  });

  it("keep drafts off the storefront", async () => {
    expect((await read("/products/draft-shoe")).status).toBe(404);
  });

  it("report the inline views' digest and watermark in /v1/status", async () => {
    const status = (await (await api.app.request("http://localhost/v1/status")).json()) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ role: "primary", head: status.watermark });
    expect(status.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("need the reader credential", async () => {
    expect((await read("/products/red-shoe", null)).status).toBe(401);
    expect((await read("/products/red-shoe", "wrong")).status).toBe(401);
  });
});
