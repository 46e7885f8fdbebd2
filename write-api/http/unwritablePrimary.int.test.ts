import { afterEach, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { databaseDigest } from "../testing/databaseDigest.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";

// The primary made unwritable by SQLite itself, no mocks: a page budget just
// above the file's size is a full disk as SQLite sees it (SQLITE_FULL), and
// `query_only` on the writer's connection makes it refuse to write
// (SQLITE_READONLY, exactly as a connection opened on a read-only file).

let api: TestWriteApi;
afterEach(() => api.close());

const seqs = async () => {
  const res = await api.app.request("http://localhost/v1/events?after=0&limit=1000", {
    headers: { authorization: `Bearer ${testSettings.readerToken}` },
  });
  return ((await res.json()) as { events: { seq: number }[] }).events.map((e) => e.seq);
};

const seeded = async () => {
  api = await createTestWriteApi();
  expect((await api.command(categoryCreate("shoes"))).status).toBe(200);
  expect((await api.command(productCreate("first", "shoes"))).status).toBe(200);
};

const bigBatch = () => ({
  commands: Array.from({ length: 20 }, (_, i) =>
    productCreate(`big-${i}`, "shoes", { description: "x".repeat(5_000) }),
  ),
});

const expectRefused = async (res: Response, reason: RegExp) => {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("1");
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("unavailable");
  expect(body.error.message).toMatch(reason);
  // never the driver's words or the SQL
  expect(body.error.message).not.toMatch(/SQLITE|INSERT|products/);
};

describe("a primary that cannot take writes", () => {
  it("answers a full disk with 503, writes nothing, and takes the next seq once space is back", async () => {
    await seeded();
    // taken first: the inline views follow the seed's commits, which a full file might refuse
    const before = await databaseDigest(api);
    await api.primary.write(async (tx) => {
      const [row] = await tx.all<{ page_count: number }>("PRAGMA page_count");
      await tx.run(`PRAGMA max_page_count = ${Number(row?.page_count) + 2}`);
    });

    await expectRefused(await api.command(bigBatch()), /disk is full/);
    // still full: still refused, never half-written
    await expectRefused(await api.command(bigBatch()), /disk is full/);
    expect(await databaseDigest(api)).toBe(before);
    expect(await seqs()).toEqual([1, 2]);

    await api.primary.write((tx) => tx.run("PRAGMA max_page_count = 1073741823"));
    const next = await api.command(productCreate("after", "shoes"));
    expect(next.status).toBe(200);
    expect(((await next.json()) as { version: number }).version).toBe(3);
    expect((await api.command(bigBatch())).status).toBe(200);
    expect(await seqs()).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it("answers a read-only database with 503, writes nothing, and recovers on a fresh connection", async () => {
    await seeded();
    // taken first: the inline views follow the seed's commits, which a read-only file would refuse
    const before = await databaseDigest(api);
    await api.primary.write((tx) => tx.run("PRAGMA query_only = 1"));

    await expectRefused(await api.command(productCreate("refused", "shoes")), /read-only/);
    expect(await databaseDigest(api)).toBe(before);
    expect(await seqs()).toEqual([1, 2]);

    // A connection that went read-only never writes again: the writer drops
    // it, and the next command gets a fresh one.
    const next = await api.command(productCreate("after", "shoes"));
    expect(next.status).toBe(200);
    expect(((await next.json()) as { version: number }).version).toBe(3);
    expect(await seqs()).toEqual([1, 2, 3]);
  });
});
