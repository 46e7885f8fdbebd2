import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

let api: TestWriteApi;
let server: ServerType;
let base = "";

beforeAll(async () => {
  api = await createTestWriteApi();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: api.app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await api.close();
});

const post = (body: unknown) =>
  fetch(`${base}/v1/commands`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${testSettings.adminToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });

describe("concurrent commands over HTTP", () => {
  it("200 concurrent commands get seq 1..N with no gap or duplicate, each version its own last seq", async () => {
    expect((await post(categoryCreate("shoes"))).status).toBe(200);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post(
          i % 10 === 0
            ? { commands: [productCreate(`p-${i}`, "shoes"), categoryCreate(`c-${i}`)] }
            : productCreate(`p-${i}`, "shoes"),
        ),
      ),
    );
    const bodies = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        ...((await r.json()) as { version: number; results: { id: string }[] }),
      })),
    );
    expect(bodies.every((b) => b.status === 200)).toBe(true);

    const log: { seq: number; aggregateId: string }[] = [];
    for (let after = 0; ; ) {
      const res = await fetch(`${base}/v1/events?after=${after}&limit=1000`, {
        headers: { authorization: `Bearer ${testSettings.readerToken}` },
      });
      const page = (await res.json()) as { events: { seq: number; aggregateId: string }[] };
      if (page.events.length === 0) break;
      log.push(...page.events);
      after = page.events.at(-1)?.seq ?? after;
    }
    const expectedCount = 1 + 200 + 20;
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: expectedCount }, (_, i) => i + 1));

    for (const body of bodies) {
      const lastId = body.results.at(-1)?.id;
      const lastOwn = log.filter((e) => body.results.some((r) => r.id === e.aggregateId)).at(-1);
      expect(lastOwn?.aggregateId).toBe(lastId);
      expect(lastOwn?.seq).toBe(body.version);
    }
    expect(new Set(bodies.map((b) => b.version)).size).toBe(200);
  });
});
