import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate } from "../testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

let api: TestWriteApi;
const pull = (query: string, token: string | null = testSettings.readerToken) =>
  api.app.request(`http://localhost/v1/events${query}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });

beforeAll(async () => {
  api = await createTestWriteApi();
  const commands = Array.from({ length: 25 }, (_, i) => categoryCreate(`c-${i}`));
  expect((await api.command({ commands })).status).toBe(200);
});
afterAll(() => api.close());

describe("GET /v1/events", () => {
  it("pages through the log by after/limit and reports the head", async () => {
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const res = await pull(`?after=${after}&limit=10`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { events: { seq: number; type: string }[]; head: number };
      expect(page.head).toBe(25);
      if (page.events.length === 0) break;
      expect(page.events.length).toBeLessThanOrEqual(10);
      seen.push(...page.events.map((e) => e.seq));
      after = page.events.at(-1)?.seq ?? after;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it("serves the contract's fields", async () => {
    const page = (await (await pull("?after=4&limit=1")).json()) as {
      events: Record<string, unknown>[];
    };
    expect(page.events).toEqual([
      {
        seq: 5,
        type: "category.created",
        aggregateId: expect.stringMatching(/^cat_/),
        data: expect.objectContaining({ slug: "c-4", parentId: null }),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        schemaVersion: 1,
        meta: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      },
    ]);
  });

  it("answers an empty page past the head", async () => {
    const page = (await (await pull("?after=1000")).json()) as { events: unknown[]; head: number };
    expect(page).toEqual({ events: [], head: 25 });
  });

  it.each(["?after=-1", "?after=abc", "?limit=1001", "?limit=1.5", "?after=1e3"])(
    "refuses %s with 422",
    async (q) => {
      const res = await pull(q);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        "validation_failed",
      );
    },
  );

  it.each([
    ["no credential", null],
    ["a wrong credential", "wrong-token"],
  ])("refuses %s with 401", async (_n, token) => {
    const res = await pull("?after=0", token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});
