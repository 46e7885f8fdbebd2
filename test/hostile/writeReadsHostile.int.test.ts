import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";
import { databaseDigest } from "../../write-api/testing/databaseDigest.ts";
import { createTestWriteApi, type TestWriteApi } from "../../write-api/testing/testWriteApi.ts";
import { badReads } from "./badReads.ts";
import { adminAuth, expectRefusal, readerAuth } from "./hostileHttp.ts";

let api: TestWriteApi;
const digest = () => databaseDigest(api);

beforeAll(async () => {
  api = await createTestWriteApi();
  const res = await api.command({
    commands: [
      categoryCreate("shoes"),
      ...["a", "b", "c"].map((s) => productCreate(`shoe-${s}`, "shoes", { status: "active" })),
    ],
  });
  expect(res.status).toBe(200);
});
afterAll(() => api.close());

const get = (path: string, headers: Record<string, string> = readerAuth) =>
  api.app.request(`http://localhost${path}`, { headers });

describe("GET /v1/events", () => {
  const bad: [string, number, string][] = [
    ["after=-1", 422, "validation_failed"],
    ["after=abc", 422, "validation_failed"],
    ["after=1.5", 422, "validation_failed"],
    ["after=1e3", 422, "validation_failed"],
    ["after=%201", 422, "validation_failed"],
    ["after=0x10", 422, "validation_failed"],
    ["after=99999999999999999999", 422, "validation_failed"],
    ["after=9007199254740992", 422, "validation_failed"],
    ["after=%00", 422, "validation_failed"],
    ["limit=abc", 422, "validation_failed"],
    ["limit=-5", 422, "validation_failed"],
    ["limit=1001", 422, "validation_failed"],
    ["limit=NaN", 422, "validation_failed"],
    ["limit=Infinity", 422, "validation_failed"],
  ];
  it.each(bad)("?%s → %i %s, nothing changed", async (query, status, code) => {
    const before = await digest();
    const error = await expectRefusal(await get(`/v1/events?${query}`), status, code);
    expect(error.details).toEqual([{ path: query.split("=")[0], message: expect.any(String) }]);
    expect(await digest()).toBe(before);
  });

  it("still serves a good page next to the bad ones", async () => {
    const res = await get("/v1/events?after=1&limit=2");
    expect(res.status).toBe(200);
    const page = (await res.json()) as { events: { seq: number }[]; head: number };
    expect(page.events.map((e) => e.seq)).toEqual([2, 3]);
    expect(page.head).toBe(4);
  });
});

describe("bad credentials on /v1/events and /v1/read/*", () => {
  const creds: [string, Record<string, string>][] = [
    ["none", {}],
    ["an empty header", { authorization: "" }],
    ["Bearer and nothing", { authorization: "Bearer" }],
    ["a wrong token", { authorization: "Bearer wrong-token" }],
    ["Basic", { authorization: readerAuth.authorization.replace("Bearer", "Basic") }],
    ["two tokens", { authorization: `${readerAuth.authorization}, ${adminAuth.authorization}` }],
    ["token + junk", { authorization: `${readerAuth.authorization} junk` }],
    ["a token as a cookie", { cookie: `token=${readerAuth.authorization.slice(7)}` }],
    ["a token in another header", { "x-api-key": readerAuth.authorization.slice(7) }],
  ];
  const paths = [
    "/v1/events",
    "/v1/events?after=-1",
    "/v1/read/categories",
    "/v1/read/products/shoe-a",
    "/v1/read/categories/shoes/products?sort=evil",
    "/v1/read/categories/shoes/stats",
    "/v1/read/search?q=shoe",
    "/v1/read/nope",
  ];
  it.each(creds)("%s → 401 on every guarded path", async (_name, headers) => {
    const before = await digest();
    for (const path of paths) await expectRefusal(await get(path, headers), 401, "unauthorized");
    expect(await digest()).toBe(before);
  });

  it("a token in the query string is not a credential", async () => {
    const token = readerAuth.authorization.slice(7);
    await expectRefusal(await get(`/v1/events?token=${token}`, {}), 401, "unauthorized");
    await expectRefusal(
      await get(`/v1/read/categories?access_token=${token}`, {}),
      401,
      "unauthorized",
    );
  });
});

describe("GET /v1/read/* with bad params", () => {
  it.each(badReads("/v1/read"))("%s → %i %s, nothing changed", async (path, status, code) => {
    const before = await digest();
    await expectRefusal(await get(path), status, code);
    expect(await digest()).toBe(before);
  });

  it("public endpoints ignore hostile query strings and refuse other methods", async () => {
    const before = await digest();
    for (const path of ["/healthz?x=%00", "/v1/status?__proto__[x]=1"]) {
      expect((await get(path, {})).status).toBe(200);
      for (const method of ["POST", "PUT", "DELETE"]) {
        await expectRefusal(
          await api.app.request(`http://localhost${path}`, { method, body: "{}" }),
          404,
          "not_found",
        );
      }
    }
    expect(await digest()).toBe(before);
  });
});
