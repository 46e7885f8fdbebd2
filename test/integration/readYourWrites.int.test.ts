import { afterEach, describe, expect, it } from "vitest";
import { consistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { testConsistencySecret } from "../../write-api/testing/testWriteApi.ts";
import { writeCatalogHistory } from "./catalogHistory.ts";
import { type Harness, readerHarness, readerUrl } from "./readerHarness.ts";

let h: Harness;
afterEach(() => h.close());

const tokens = consistencyTokens(testConsistencySecret);
const versionOf = (res: Response) =>
  JSON.parse(
    Buffer.from(
      (res.headers.get("x-consistency-token") ?? "").split(".")[0] ?? "",
      "base64url",
    ).toString(),
  ).v as number;

const read = (path: string, headers: Record<string, string> = {}) =>
  h.app.request(`${readerUrl}/v1${path}`, { headers });

/** A reader that has applied the first `upTo` events of a history and knows nothing newer. */
const laggingReader = async (options: Parameters<typeof readerHarness>[0] = {}) => {
  h = await readerHarness(options);
  await writeCatalogHistory(h.api, 20);
  const log = await h.log();
  const upTo = Math.floor(log.length / 2);
  expect((await h.push(log.slice(0, upTo))).status).toBe(200);
  const slug = "everyday-runner-1";
  return { log, upTo, head: log.at(-1)?.seq ?? 0, slug };
};

/** The first product that the second half of the history changed, and its slug. */
const changeAProduct = async () => {
  const page = (await (
    await h.api.app.request("http://primary.test/v1/read/categories/shoes/products?limit=1", {
      headers: { authorization: "Bearer test-reader-token-0123456789" },
    })
  ).json()) as { page: { items: { id: string; slug: string }[] } };
  const item = page.page.items[0];
  const res = await h.api.command({
    type: "product.changePrice",
    id: item?.id,
    price: { amount: 123_456, currency: "EUR" },
  });
  return {
    slug: item?.slug ?? "",
    token: res.headers.get("x-consistency-token") ?? "",
    version: ((await res.json()) as { version: number }).version,
  };
};

describe("read-your-writes", () => {
  it("serves a read locally once the replica has caught up within the bound", async () => {
    // a bound no loaded CI machine runs out of: this test is about where the read goes, not how fast
    await laggingReader({ waitBoundMs: 10_000 });
    const write = await changeAProduct();
    const res = await read(`/products/${write.slug}`, { "x-consistency-token": write.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("replica");
    expect(Number(res.headers.get("x-replica-watermark"))).toBeGreaterThanOrEqual(write.version);
    expect(
      ((await res.json()) as { product: { price: { amount: number } } }).product.price.amount,
    ).toBe(123_456);
  });

  it("hands the read to the primary when the replica cannot catch up in time, and says why", async () => {
    await laggingReader({ waitBoundMs: 30 });
    const write = await changeAProduct();
    const release = h.blockPulls();
    const res = await read(`/products/${write.slug}`, {
      cookie: `theme=dark; cqrs_rv=${write.token}`,
    });
    release();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("primary");
    expect(res.headers.get("x-primary-reason")).toBe("behind");
    expect(
      ((await res.json()) as { product: { price: { amount: number } } }).product.price.amount,
    ).toBe(123_456);
    expect(versionOf(res)).toBeGreaterThanOrEqual(write.version);
  });

  it("honours ?minVersion= like a token", async () => {
    const { head } = await laggingReader({ waitBoundMs: 30 });
    h.failPulls(true);
    const res = await read(`/categories?minVersion=${head}`);
    expect(res.headers.get("x-served-by")).toBe("primary");
    expect(Number(res.headers.get("x-replica-watermark"))).toBe(head);
    expect(versionOf(res)).toBe(head);
  });

  it("never signs an unsigned ?minVersion= past the head, nor spends a primary read on it", async () => {
    // a bound no loaded CI machine runs out of: the catch-up must reach the head
    const { head } = await laggingReader({ waitBoundMs: 10_000 });
    const res = await read("/categories?minVersion=99999999");
    expect(res.status).toBe(200);
    // the catch-up reached the head it just heard of: no version beyond it exists to wait for
    expect(res.headers.get("x-served-by")).toBe("replica");
    expect(Number(res.headers.get("x-replica-watermark"))).toBe(head);
    expect(versionOf(res)).toBe(head);
    expect(res.headers.get("set-cookie")).not.toContain("99999999");
    // the session's next read, carrying what it was handed, stays on the replica
    const next = await read("/categories", {
      "x-consistency-token": res.headers.get("x-consistency-token") ?? "",
    });
    expect(next.headers.get("x-served-by")).toBe("replica");
    expect(versionOf(next)).toBe(head);
  });

  it("signs only the primary's own version when a crafted ?minVersion= sends a read there", async () => {
    const { head } = await laggingReader({ waitBoundMs: 30 });
    h.failPulls(true);
    const res = await read("/categories?minVersion=99999999");
    expect(res.headers.get("x-served-by")).toBe("primary");
    expect(versionOf(res)).toBe(head);
  });

  it("without a token serves the lagging replica locally and says how far behind it is", async () => {
    const { upTo, head, log } = await laggingReader();
    h.failPulls(true);
    // the same answer before and after the reader learns the head, from its cache both times
    await read("/categories");
    const before = await read("/categories");
    expect(before.headers.get("x-cache")).toBe("hit");
    expect(Number(before.headers.get("x-replica-lag"))).toBeLessThan(head - upTo);
    // a push past a hole tells the reader the head; the gap pull fails, so it stays behind
    expect((await h.push(log.slice(-3))).status).toBe(503);
    const res = await read("/categories");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("replica");
    expect(Number(res.headers.get("x-replica-watermark"))).toBe(upTo);
    expect(Number(res.headers.get("x-replica-lag"))).toBe(head - upTo);
  });

  it("ignores tampered, expired and garbage tokens for routing, reports them, never fails", async () => {
    const { head } = await laggingReader();
    h.failPulls(true);
    const valid = await tokens.sign({ v: head }, 60_000);
    const [payload, mac] = valid.split(".");
    const raised = Buffer.from(
      JSON.stringify({ v: head + 1_000, exp: Date.now() + 60_000 }),
    ).toString("base64url");
    const cases: [string, string][] = [
      [`${raised}.${mac}`, "bad_signature"],
      [await tokens.sign({ v: head }, 1_000, Date.now() - 10_000), "expired"],
      ["garbage", "malformed"],
      [`${payload}.`, "malformed"],
      ["a.b.c", "malformed"],
      ["x".repeat(4_000), "malformed"],
    ];
    for (const [token, reported] of cases) {
      const res = await read("/categories", { "x-consistency-token": token });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-served-by")).toBe("replica");
      expect(res.headers.get("x-consistency-token-status")).toBe(reported);
    }
  });

  it("answers every read with a token for the newer of the request's version and the served one", async () => {
    const { upTo } = await laggingReader();
    h.failPulls(true);
    const old = await tokens.sign({ v: 3 }, 60_000);
    const res = await read("/categories", { "x-consistency-token": old });
    expect(versionOf(res)).toBe(upTo);
    expect(res.headers.get("set-cookie")).toContain("cqrs_rv=");
  });

  it("answers 503 with Retry-After once the primary fallback budget is spent", async () => {
    const { head } = await laggingReader({ waitBoundMs: 10, budget: 1 });
    h.failPulls(true);
    const token = await tokens.sign({ v: head }, 60_000);
    const first = await read("/categories", { "x-consistency-token": token });
    expect(first.headers.get("x-served-by")).toBe("primary");
    const second = await read("/categories", { "x-consistency-token": token });
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("1");
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("unavailable");
  });

  it("routes to the primary when the replica has not heard from it within maxStalenessMs", async () => {
    await laggingReader({ waitBoundMs: 10 });
    h.failPulls(true);
    h.reader.state.lastHeardAt = Date.now() - 60_000;
    const stale = await read("/categories?maxStalenessMs=5000");
    expect(stale.headers.get("x-served-by")).toBe("primary");
    expect(stale.headers.get("x-primary-reason")).toBe("stale");
    const relaxed = await read("/categories?maxStalenessMs=120000");
    expect(relaxed.headers.get("x-served-by")).toBe("replica");
    expect((await read("/categories?maxStalenessMs=soon")).status).toBe(422);
  });

  it("caches replica answers per watermark and never serves one older than the token allows", async () => {
    await laggingReader();
    h.failPulls(true);
    // the stats of the category the write below changes: a read its token names
    const stats = "/categories/shoes/stats";
    const first = await read(stats);
    expect(first.headers.get("x-cache")).toBeNull();
    const second = await read(stats);
    expect(second.headers.get("x-cache")).toBe("hit");
    // the hit went out at its turn's end, with the turn's other answers; the miss with its read
    expect(h.hitWaits()).toBe(1);
    const body = await first.text();
    expect(await second.text()).toBe(body);
    const etag = second.headers.get("etag") ?? "";
    expect(etag).toBe(`W/"v${second.headers.get("x-replica-watermark")}"`);
    const revalidated = await read(stats, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("content-type")).toBeNull();
    // the same answer asked for anew comes whole again, typed
    const whole = await read(stats);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("application/json");
    expect(await whole.text()).toBe(body);

    // once the client has written, the cached older answer is not good enough
    h.failPulls(false);
    const write = await changeAProduct();
    const fresh = await read(stats, { "x-consistency-token": write.token });
    expect(fresh.headers.get("x-cache")).toBeNull();
    expect(Number(fresh.headers.get("x-replica-watermark"))).toBeGreaterThanOrEqual(write.version);
    expect(
      (await read(stats, { "if-none-match": etag, "x-consistency-token": write.token })).status,
    ).toBe(200);
  });
});
