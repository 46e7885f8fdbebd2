import { afterEach, describe, expect, it } from "vitest";
import { restoreEvents } from "../../write-api/eventStore/eventStore.ts";
import { categoryCreatedRow } from "../../write-api/testing/catalogFixtures.ts";
import { createTestWriteApi, type TestWriteApi } from "../../write-api/testing/testWriteApi.ts";
import { openInlineViews } from "../../write-api/views/inlineViews.ts";
import { openInlineViewsThread } from "../../write-api/views/viewsThread.ts";

// A log with a hole (seq 3 missing after 1 and 2) is damage no command can
// make; the primary's views must stop on it with the missing range named,
// never loop reading the same page forever.

const row = categoryCreatedRow;

let api: TestWriteApi;
afterEach(() => api?.close());

describe("the primary's inline views on a hole in the log", () => {
  it("opening them (a start-up) fails naming the missing seqs", async () => {
    api = await createTestWriteApi();
    await api.primary.write((tx) => restoreEvents(tx, [row(1, "a"), row(2, "b"), row(4, "d")]));
    await expect(openInlineViews(api.primary.events, { url: ":memory:" })).rejects.toThrow(
      /missing seqs 3-3/,
    );
  });

  it("opening them in a thread of their own fails the same way, the error's code kept", async () => {
    api = await createTestWriteApi();
    await api.primary.write((tx) => restoreEvents(tx, [row(1, "a"), row(2, "b"), row(4, "d")]));
    const opening = openInlineViewsThread({
      url: ":memory:",
      primary: { url: api.url, busyTimeoutMs: 1_000 },
    });
    await expect(opening).rejects.toThrow(/missing seqs 3-3/);
    await expect(opening).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });

  it("a read waiting for them answers 503 instead of hanging", async () => {
    api = await createTestWriteApi();
    await api.primary.write((tx) => restoreEvents(tx, [row(1, "a"), row(3, "c")]));
    await expect(api.views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });
});
