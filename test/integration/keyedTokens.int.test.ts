import { afterEach, describe, expect, it } from "vitest";
import { writeCatalogHistory } from "./catalogHistory.ts";
import { type Harness, readerHarness, readerUrl } from "./readerHarness.ts";

let h: Harness;
afterEach(() => h.close());

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as {
    v: number;
    k?: Record<string, number>;
  };

const read = (path: string, token: string) =>
  h.app.request(`${readerUrl}/v1${path}`, { headers: { "x-consistency-token": token } });

interface Listed {
  id: string;
  slug: string;
}

/** Two active products in two categories, from the primary's own listings. */
async function twoProducts(): Promise<{
  a: Listed & { category: string };
  b: Listed & { category: string };
}> {
  const first = async (category: string) => {
    const res = await h.api.app.request(
      `http://primary.test/v1/read/categories/${category}/products?limit=1`,
      { headers: { authorization: "Bearer test-reader-token-0123456789" } },
    );
    const item = ((await res.json()) as { page: { items: Listed[] } }).page.items[0];
    if (!item) throw new Error(`no product in ${category}`);
    return { ...item, category };
  };
  return { a: await first("shoes"), b: await first("tents") };
}

/**
 * A replica that applied the whole history, then is held behind: pulls are
 * blocked, so whatever is written next stays on the primary until released.
 */
async function heldBehind() {
  h = await readerHarness({ waitBoundMs: 10_000 });
  await writeCatalogHistory(h.api, 30);
  const log = await h.log();
  expect((await h.push(log)).status).toBe(200);
  const products = await twoProducts();
  const write = await h.api.command({
    type: "product.changePrice",
    id: products.a.id,
    price: { amount: 654_321, currency: "EUR" },
  });
  expect(write.status).toBe(200);
  const version = ((await write.json()) as { version: number }).version;
  return {
    ...products,
    version,
    token: write.headers.get("x-consistency-token") ?? "",
    head: log.at(-1)?.seq ?? 0,
  };
}

describe("keyed consistency tokens", () => {
  it("name what the write changed: the product, its category, the catalog, search and facets", async () => {
    const { a, version, token, head } = await heldBehind();
    const claims = claimsOf(token);
    expect(claims.v).toBeLessThan(version);
    expect(claims.k).toEqual({
      [`p:${a.slug}`]: version,
      [`c:${a.category}`]: version,
      all: version,
      search: version,
      facets: version,
    });
    expect(head).toBe(version - 1);
  });

  it("never hold a read of another product, category or the navigation on a replica held behind", async () => {
    const { b, version, token } = await heldBehind();
    const release = h.blockPulls();
    try {
      for (const path of [
        `/products/${b.slug}`,
        `/categories/${b.category}/products`,
        `/categories/${b.category}/stats`,
        "/categories",
      ]) {
        const res = await read(path, token);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("x-served-by"), path).toBe("replica");
        expect(Number(res.headers.get("x-replica-watermark")), path).toBe(version - 1);
        // the answer's token still asks the write's version of what it changed
        const next = claimsOf(res.headers.get("x-consistency-token") ?? "");
        expect(next.v, path).toBe(version - 1);
        expect(next.k?.all, path).toBe(version);
      }
    } finally {
      release();
    }
  });

  it("still show the write to a read of what it changed, by waiting or through the primary", async () => {
    const { a, b, version, token } = await heldBehind();
    const release = h.blockPulls();
    // the token handed out by a read of B carries A's scopes on
    const viaB =
      (await read(`/products/${b.slug}`, token)).headers.get("x-consistency-token") ?? "";
    const [page, listing] = await Promise.all([
      read(`/products/${a.slug}`, viaB),
      read(`/products?sort=newest&limit=5`, viaB),
      new Promise((r) => setTimeout(r, 50)).then(release),
    ]);
    expect(page.status).toBe(200);
    expect(Number(page.headers.get("x-replica-watermark"))).toBeGreaterThanOrEqual(version);
    expect(
      ((await page.json()) as { product: { price: { amount: number } } }).product.price.amount,
    ).toBe(654_321);
    expect(Number(listing.headers.get("x-replica-watermark"))).toBeGreaterThanOrEqual(version);
    // once served at the write's version, the token needs nothing more than its floor
    expect(claimsOf(page.headers.get("x-consistency-token") ?? "")).toEqual({
      v: Number(page.headers.get("x-replica-watermark")),
      exp: expect.any(Number),
    });
  });
});
