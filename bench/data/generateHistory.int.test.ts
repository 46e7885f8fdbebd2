import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";
import { generateHistory } from "./generateHistory.ts";
import { primaryEventSource } from "./primaryEventSource.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generateHistory", () => {
  it("commits a catalog and its follow-ups up to the asked length, which a rebuild reproduces, then reuses the file", async () => {
    const made = await generateHistory(dir, 300, 2_500, 7);
    expect(made).toMatchObject({
      products: 300,
      events: 2_500,
      catalogEvents: 500,
      followUpCommands: 2_000,
      cached: false,
    });

    const source = await primaryEventSource(made.path);
    const store = await openSqlViewStore(":memory:");
    try {
      const rebuilt = await rebuildViews({ source, store });
      expect(rebuilt.events).toBe(2_500);
      expect(rebuilt.digest).toBe(made.inlineDigest);
    } finally {
      await store.close();
      source.close();
    }

    const again = await generateHistory(dir, 300, 2_500, 7);
    expect(again).toMatchObject({ cached: true, inlineDigest: made.inlineDigest });
  });
});
