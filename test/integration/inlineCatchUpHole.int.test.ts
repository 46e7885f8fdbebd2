import { afterEach, describe, expect, it } from "vitest";
import { restoreEvents } from "../../write-api/eventStore/eventStore.ts";
import { createTestWriteApi, type TestWriteApi } from "../../write-api/testing/testWriteApi.ts";
import { catchUpInlineViews } from "../../write-api/views/inlineViews.ts";

// A log with a hole (seq 3 missing after 1 and 2) is damage no command can
// make; the primary's views must stop on it with the missing range named,
// never loop reading the same page forever.

const row = (seq: number, slug: string) => ({
  seq,
  type: "category.created",
  aggregate_id: `cat_${slug}`,
  data: JSON.stringify({ id: `cat_${slug}`, slug, name: slug, parentId: null }),
  schema_version: 1,
  at: "2026-12-03T12:00:00.000Z",
});

let api: TestWriteApi;
afterEach(() => api?.close());

describe("the primary's inline views on a hole in the log", () => {
  it("the start-up catch-up fails naming the missing seqs", async () => {
    api = await createTestWriteApi();
    await api.primary.write((tx) => restoreEvents(tx, [row(1, "a"), row(2, "b"), row(4, "d")]));
    await expect(catchUpInlineViews(api.primary)).rejects.toThrow(/missing seqs 3-3/);
  });

  it("a read waiting for them answers 503 instead of hanging", async () => {
    api = await createTestWriteApi();
    await api.primary.write((tx) => restoreEvents(tx, [row(1, "a"), row(3, "c")]));
    await expect(api.views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });
});
