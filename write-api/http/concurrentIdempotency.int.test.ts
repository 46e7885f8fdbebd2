import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

let api: TestWriteApi;
beforeAll(async () => {
  api = await createTestWriteApi();
  expect((await api.command(categoryCreate("shoes"))).status).toBe(200);
});
afterAll(() => api.close());

const eventCount = async () => {
  const res = await api.app.request("http://localhost/v1/events?after=0&limit=1000", {
    headers: { authorization: `Bearer ${testSettings.readerToken}` },
  });
  return ((await res.json()) as { events: unknown[] }).events.length;
};

describe("concurrent retries of one request", () => {
  // However the writer groups them (one transaction or several), the key is
  // looked up inside the transaction, after every earlier write of the group.
  it("commit once and replay the same answer to every other copy", async () => {
    const before = await eventCount();
    const body = productCreate("retried", "shoes");
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => api.command(body, { "idempotency-key": "retry-storm" })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const replayed = responses.map((r) => r.headers.get("idempotency-replayed") === "true");
    expect(replayed.filter((r) => !r)).toHaveLength(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(await eventCount()).toBe(before + 1);
  });

  it("refuse every copy whose body differs from the one that committed", async () => {
    const before = await eventCount();
    const responses = await Promise.all(
      ["a", "b", "c", "d"].map((slug) =>
        api.command(productCreate(`clash-${slug}`, "shoes"), { "idempotency-key": "clash" }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 422, 422, 422]);
    expect(await eventCount()).toBe(before + 1);
  });
});
