import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

// The catalog semantics the README states ("Catalog semantics"), one test each.
// Read through the primary's `/v1/read/…`: replicas serve the same stored
// bytes at the same watermark (invariant 3, proven by digests elsewhere).

let api: TestWriteApi;
beforeEach(async () => {
  api = await createTestWriteApi();
});
afterEach(() => api.close());

const read = async (path: string) => {
  const res = await api.app.request(`http://localhost/v1/read${path}`, {
    headers: { authorization: `Bearer ${testSettings.readerToken}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const run = async (body: unknown) => {
  const res = await api.command(body);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const ok = async (body: unknown) => {
  const res = await run(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const { results, version } = res.body as { results: { id: string }[]; version: number };
  return { id: results[0]?.id ?? "", version };
};
const errorCode = async (body: unknown) => {
  const res = await run(body);
  return [res.status, (res.body.error as { code: string } | undefined)?.code ?? "ok"];
};
const slugsOf = (body: Record<string, unknown>) =>
  (body.page as { items: { slug: string }[] }).items.map((p) => p.slug);

describe("an archived product", () => {
  it("keeps its page (200, status archived) and leaves every listing, search, facet and count", async () => {
    await ok(categoryCreate("lamps"));
    const lamp = await ok(
      productCreate("desk-lamp", "lamps", { status: "active", attributes: { color: "red" } }),
    );
    await ok({ type: "product.archive", id: lamp.id });

    const page = await read("/products/desk-lamp");
    expect(page.status).toBe(200);
    expect(page.body.product).toMatchObject({ slug: "desk-lamp", status: "archived" });
    expect(slugsOf((await read("/categories/lamps/products")).body)).toEqual([]);
    expect(slugsOf((await read("/products")).body)).toEqual([]);
    expect(slugsOf((await read("/search?q=desk")).body)).toEqual([]);
    expect((await read("/attributes/color/red/products")).body.products).toMatchObject({
      items: [],
    });
    expect((await read("/categories/lamps/stats")).body.stats).toMatchObject({
      productCount: 0,
      inStockCount: 0,
      prices: [],
    });
  });

  it("differs from a draft and a deleted product, which have no page (404)", async () => {
    await ok(categoryCreate("lamps"));
    await ok(productCreate("draft-lamp", "lamps"));
    const gone = await ok(productCreate("gone-lamp", "lamps", { status: "active" }));
    await ok({ type: "product.delete", id: gone.id });
    expect((await read("/products/draft-lamp")).status).toBe(404);
    expect((await read("/products/gone-lamp")).status).toBe(404);
  });
});

describe("the product state machine", () => {
  it.each([
    ["draft", "product.publish", 200, "ok"],
    ["draft", "product.archive", 200, "ok"],
    ["draft", "product.delete", 200, "ok"],
    ["active", "product.publish", 409, "illegal_transition"],
    ["active", "product.archive", 200, "ok"],
    ["active", "product.delete", 200, "ok"],
    ["archived", "product.publish", 200, "ok"],
    ["archived", "product.archive", 409, "illegal_transition"],
    ["archived", "product.delete", 200, "ok"],
    ["deleted", "product.publish", 404, "not_found"],
    ["deleted", "product.delete", 404, "not_found"],
  ] as const)("a %s product on %s answers %i %s", async (from, type, status, code) => {
    await ok(categoryCreate("lamps"));
    const { id } = await ok(
      productCreate("lamp", "lamps", { status: from === "draft" ? "draft" : "active" }),
    );
    if (from === "archived") await ok({ type: "product.archive", id });
    if (from === "deleted") await ok({ type: "product.delete", id });
    expect(await errorCode({ type, id })).toEqual([status, code]);
  });

  it("re-lists an archived product that is published again", async () => {
    await ok(categoryCreate("lamps"));
    const { id } = await ok(productCreate("lamp", "lamps", { status: "active" }));
    await ok({ type: "product.archive", id });
    await ok({ type: "product.publish", id });
    expect(slugsOf((await read("/categories/lamps/products")).body)).toEqual(["lamp"]);
    expect((await read("/products/lamp")).body.product).toMatchObject({ status: "active" });
  });
});

describe("category stats and navigation counts", () => {
  it("stats count a category's own products; navigation adds a total over its subcategories", async () => {
    await ok(categoryCreate("home"));
    await ok(categoryCreate("lamps", { parentSlug: "home" }));
    await ok(
      productCreate("vase", "home", { status: "active", price: { amount: 500, currency: "EUR" } }),
    );
    await ok(
      productCreate("lamp", "lamps", {
        status: "active",
        price: { amount: 9_000, currency: "EUR" },
      }),
    );
    await ok(productCreate("bulb", "lamps", { status: "active", stock: 0 }));

    expect((await read("/categories/home/stats")).body.stats).toMatchObject({
      productCount: 1,
      inStockCount: 1,
      prices: [{ currency: "EUR", count: 1, min: 500, max: 500, avg: 500 }],
    });
    expect((await read("/categories/lamps/stats")).body.stats).toMatchObject({
      productCount: 2,
      inStockCount: 1,
    });
    const tree = (await read("/categories")).body.categories as {
      slug: string;
      productCount: number;
      totalProductCount: number;
      children: { slug: string; productCount: number; totalProductCount: number }[];
    }[];
    expect(tree).toMatchObject([
      {
        slug: "home",
        productCount: 1,
        totalProductCount: 3,
        children: [{ slug: "lamps", productCount: 2, totalProductCount: 2 }],
      },
    ]);
  });
});

describe("a keyset walk while writes happen", () => {
  /** Lamps a…d at 100…400, the first page of two by price read, then `slug` repriced. */
  async function repriceMidWalk(slug: string, amount: number) {
    await ok(categoryCreate("lamps"));
    const ids = new Map<string, string>();
    for (const [i, s] of ["a", "b", "c", "d"].entries()) {
      const price = { amount: (i + 1) * 100, currency: "EUR" };
      ids.set(s, (await ok(productCreate(s, "lamps", { status: "active", price }))).id);
    }
    const first = (await read("/categories/lamps/products?sort=price_asc&limit=2")).body;
    expect(slugsOf(first)).toEqual(["a", "b"]);
    const price = { amount, currency: "EUR" };
    await ok({ type: "product.changePrice", id: ids.get(slug), price });
    const cursor = (first.page as { nextCursor: string }).nextCursor;
    return slugsOf(
      (await read(`/categories/lamps/products?sort=price_asc&limit=10&cursor=${cursor}`)).body,
    );
  }

  it("shows a product again when its sort key jumps past the cursor, and skips none of the others", async () => {
    // "a", already shown, becomes the dearest: its key now lies after the cursor
    expect(await repriceMidWalk("a", 900)).toEqual(["c", "d", "a"]);
  });

  it("misses a product whose sort key jumps back behind the cursor", async () => {
    expect(await repriceMidWalk("d", 50)).toEqual(["c"]);
  });
});
