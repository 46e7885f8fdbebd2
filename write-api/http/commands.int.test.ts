import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { databaseDigest } from "../testing/databaseDigest.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

let api: TestWriteApi;
let shoeId: string;
let bootsCategoryId: string;

const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; details?: unknown } }).error;

beforeAll(async () => {
  api = await createTestWriteApi();
  const res = await api.command({
    commands: [
      categoryCreate("shoes"),
      categoryCreate("boots", { parentSlug: "shoes" }),
      productCreate("red-shoe", "shoes", { status: "active", stock: 2 }),
    ],
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { version: number; results: { id: string }[] };
  expect(body.version).toBe(3);
  shoeId = body.results[2]?.id ?? "";
  bootsCategoryId = body.results[1]?.id ?? "";
});
afterAll(() => api.close());

describe("POST /v1/commands refuses bad input and changes nothing", () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["malformed JSON", () => api.command("{not json"), 400, "malformed_json"],
    [
      "invalid UTF-8",
      () => api.command(new TextDecoder("latin1").decode(new Uint8Array([0x7b, 0xff, 0x7d]))),
      400,
      "malformed_json",
    ],
    [
      "schema violation",
      () => api.command({ type: "product.create", sku: "X" }),
      422,
      "validation_failed",
    ],
    [
      "negative price",
      () => api.command(productCreate("neg", "shoes", { price: { amount: -1, currency: "EUR" } })),
      422,
      "validation_failed",
    ],
    [
      "float price",
      () =>
        api.command(productCreate("flt", "shoes", { price: { amount: 9.99, currency: "EUR" } })),
      422,
      "validation_failed",
    ],
    [
      "unknown field",
      () => api.command({ ...categoryCreate("x"), admin: true }),
      422,
      "validation_failed",
    ],
    [
      "slug with path traversal",
      () => api.command(categoryCreate("../etc/passwd")),
      422,
      "validation_failed",
    ],
    [
      "unknown command",
      () => api.command({ type: "product.explode", id: "p" }),
      422,
      "unknown_command",
    ],
    ["no type", () => api.command({ id: "p" }), 422, "unknown_command"],
    ["a JSON array", () => api.command([1, 2]), 422, "validation_failed"],
    [
      "deeply nested JSON",
      () => api.command(`${"[".repeat(5000)}${"]".repeat(5000)}`),
      422,
      "validation_failed",
    ],
    ["empty batch", () => api.command({ commands: [] }), 422, "validation_failed"],
    [
      "unknown category",
      () => api.command(productCreate("lost", "nowhere")),
      422,
      "unknown_reference",
    ],
    [
      "unknown parent",
      () => api.command(categoryCreate("orphan", { parentSlug: "nowhere" })),
      422,
      "unknown_reference",
    ],
    [
      "unknown product",
      () => api.command({ type: "product.publish", id: "prd_missing" }),
      404,
      "not_found",
    ],
    ["duplicate category slug", () => api.command(categoryCreate("shoes")), 409, "duplicate"],
    [
      "duplicate product slug",
      () => api.command(productCreate("red-shoe", "shoes", { sku: "OTHER" })),
      409,
      "duplicate",
    ],
    [
      "duplicate sku",
      () => api.command(productCreate("other-slug", "shoes", { sku: "SKU-red-shoe" })),
      409,
      "duplicate",
    ],
    [
      "stock below zero",
      () => api.command({ type: "product.adjustStock", id: shoeId, delta: -3 }),
      409,
      "insufficient_stock",
    ],
    [
      "publishing an active product",
      () => api.command({ type: "product.publish", id: shoeId }),
      409,
      "illegal_transition",
    ],
    [
      "stale expectedVersion",
      () => api.command({ type: "product.archive", id: shoeId, expectedVersion: 1 }),
      409,
      "version_conflict",
    ],
    [
      "a batch whose last command fails",
      () =>
        api.command({
          commands: [categoryCreate("hats"), productCreate("cap", "hats"), categoryCreate("shoes")],
        }),
      409,
      "duplicate",
    ],
    [
      "wrong content type",
      async () =>
        api.app.request("http://localhost/v1/commands", {
          method: "POST",
          headers: {
            authorization: `Bearer ${testSettings.adminToken}`,
            "content-type": "text/plain",
          },
          body: JSON.stringify(categoryCreate("plain")),
        }),
      415,
      "unsupported_media_type",
    ],
    [
      "body over the limit",
      () => api.command({ ...categoryCreate("big"), name: "x".repeat(2 << 20) }),
      413,
      "payload_too_large",
    ],
    [
      "missing token",
      async () =>
        api.app.request("http://localhost/v1/commands", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(categoryCreate("anon")),
        }),
      401,
      "unauthorized",
    ],
    [
      "wrong token",
      () => api.command(categoryCreate("intruder"), { authorization: "Bearer nope" }),
      401,
      "unauthorized",
    ],
    [
      "reader token on commands",
      () =>
        api.command(categoryCreate("reader"), {
          authorization: `Bearer ${testSettings.readerToken}`,
        }),
      401,
      "unauthorized",
    ],
    [
      "bad Idempotency-Key",
      () => api.command(categoryCreate("idem"), { "idempotency-key": "a b" }),
      400,
      "bad_request",
    ],
  ];

  it.each(cases)("%s", async (_name, send, status, code) => {
    const before = await databaseDigest(api);
    const res = await send();
    expect(res.status).toBe(status);
    expect((await errorOf(res)).code).toBe(code);
    expect(await databaseDigest(api)).toBe(before);
  });

  it("names the failing fields of a schema violation", async () => {
    const error = await errorOf(
      await api.command(
        productCreate("bad", "shoes", { price: { amount: 1, currency: "euro" }, stock: -1 }),
      ),
    );
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "price.currency" }),
        expect.objectContaining({ path: "stock" }),
      ]),
    );
  });

  it("names the failing command inside a batch", async () => {
    const error = await errorOf(
      await api.command({
        commands: [
          categoryCreate("ok-one"),
          { type: "category.create", slug: "Bad Slug", name: "x" },
        ],
      }),
    );
    expect(error.details).toEqual([expect.objectContaining({ path: "commands.1.slug" })]);
  });
});

describe("POST /v1/commands applies commands", () => {
  it("answers the version, a consistency token header and cookie", async () => {
    const res = await api.command({
      type: "product.changePrice",
      id: shoeId,
      price: { amount: 5_500, currency: "EUR" },
    });
    const body = await json(res);
    expect(res.status).toBe(200);
    const token = res.headers.get("x-consistency-token");
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(res.headers.get("set-cookie")).toContain(`cqrs_rv=${token}`);
    const claims = JSON.parse(Buffer.from(token?.split(".")[0] ?? "", "base64url").toString());
    // no token offered: no floor, the write's version on what it changed
    expect(claims.v).toBe(0);
    expect(Object.values(claims.k)).toEqual(Array(Object.keys(claims.k).length).fill(body.version));
    expect(Object.keys(claims.k)).toEqual(expect.arrayContaining(["all", "search", "facets"]));
  });

  it("makes an aggregate's version the seq of its last event", async () => {
    const res = await api.command({ type: "product.adjustStock", id: shoeId, delta: 5 });
    const { version } = (await res.json()) as { version: number };
    const events = await api.app.request(
      `http://localhost/v1/events?after=${version - 1}&limit=1`,
      {
        headers: { authorization: `Bearer ${testSettings.readerToken}` },
      },
    );
    const [event] = (
      (await events.json()) as { events: { seq: number; type: string; data: { stock: number } }[] }
    ).events;
    expect(event).toMatchObject({
      seq: version,
      type: "product.stockAdjusted",
      data: { stock: 7 },
    });
    const stale = await api.command({
      type: "product.archive",
      id: shoeId,
      expectedVersion: version - 1,
    });
    expect(stale.status).toBe(409);
    const fresh = await api.command({
      type: "product.archive",
      id: shoeId,
      expectedVersion: version,
    });
    expect(fresh.status).toBe(200);
  });

  it("lets two updates with the same expectedVersion win once", async () => {
    const created = (await json(await api.command(productCreate("race", "shoes")))) as {
      version: number;
      results: { id: string }[];
    };
    const id = created.results[0]?.id;
    const update = (name: string) =>
      api.command({ type: "product.update", id, name, expectedVersion: created.version });
    const statuses = await Promise.all([update("First"), update("Second")]).then((r) =>
      r.map((x) => x.status),
    );
    expect(statuses.sort()).toEqual([200, 409]);
    const retry = await update("Third");
    expect(retry.status).toBe(409);
  });

  it("replays a retried command with the same Idempotency-Key and appends nothing", async () => {
    const body = productCreate("idem-shoe", "shoes");
    const first = await api.command(body, { "idempotency-key": "order-123" });
    const before = await databaseDigest(api);
    const second = await api.command(body, { "idempotency-key": "order-123" });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get("idempotency-replayed")).toBe("true");
    expect(await databaseDigest(api)).toBe(before);

    const reused = await api.command(productCreate("other", "shoes"), {
      "idempotency-key": "order-123",
    });
    expect(reused.status).toBe(422);
    expect((await errorOf(reused)).code).toBe("idempotency_key_reused");
    expect(await databaseDigest(api)).toBe(before);
  });

  it("does not spend a seq on a refused command", async () => {
    const a = (await json(await api.command(categoryCreate("seq-a")))) as { version: number };
    expect((await api.command(categoryCreate("seq-a"))).status).toBe(409);
    const b = (await json(await api.command(categoryCreate("seq-b")))) as { version: number };
    expect(b.version).toBe(a.version + 1);
  });

  it("answers unknown routes with the error shape", async () => {
    const res = await api.app.request("http://localhost/v1/nothing");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("not_found");
  });
});

describe("POST /v1/commands and the offered token", () => {
  it("folds the offered token into the write's version when the write's reach cannot be named", async () => {
    const first = await api.command({ type: "product.adjustStock", id: shoeId, delta: 1 });
    const offered = first.headers.get("x-consistency-token") ?? "";
    const second = await api.command(
      { type: "category.rename", id: bootsCategoryId, name: "Boots and more" },
      { "x-consistency-token": offered },
    );
    const { version } = (await second.json()) as { version: number };
    const claims = JSON.parse(
      Buffer.from(
        (second.headers.get("x-consistency-token") ?? "").split(".")[0] ?? "",
        "base64url",
      ).toString(),
    );
    // a rename reaches every page below the category: the write's version becomes the floor
    expect(claims).toEqual({ v: version, exp: expect.any(Number) });
  });
});
