import { afterEach, describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import { createBulkFold } from "../../shared/projection/bulkFold.ts";
import type { ViewRecord } from "../../shared/projection/records.ts";
import { diffViews } from "../../shared/testing/compareViews.ts";
import { EventLog } from "../../shared/testing/eventLog.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import { bulkLoadingWatermark } from "../../shared/views/bulkBuild.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import { rebuildViews } from "./rebuildViews.ts";

const opened: ViewStore[] = [];
const open = async () => {
  const store = await openSqlViewStore(":memory:");
  opened.push(store);
  return store;
};
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

// The bulk path builds the views a different way (fold, then every record
// once, indexes after); what it builds must be what applying builds, and go
// on evolving the same under later applies.
describe("bulk load into SQL views", () => {
  const history = generateHistory(4_000, 2026);
  const first = history.slice(0, 3_000);
  const rest = history.slice(3_000);

  it("builds what applying builds, read for read, and takes later applies the same way", async () => {
    const [bulk, applied] = [await open(), await open()];
    const summary = await rebuildViews({ source: memoryEventSource(first), store: bulk });
    await rebuildViews({ source: memoryEventSource(first), store: applied, bulk: false });
    expect(summary).toMatchObject({ events: 3_000, watermark: 3_000 });
    expect(await diffViews(bulk, applied, first)).toEqual([]);
    // the kept digest (record hashes) agrees with one computed from every record
    expect((await bulk.digest({ fresh: true })).digest).toBe((await bulk.digest()).digest);

    for (let i = 0; i < rest.length; i += 250) {
      const page = rest.slice(i, i + 250);
      expect(await bulk.apply(page)).toEqual(await applied.apply(page));
    }
    expect(await diffViews(bulk, applied, history)).toEqual([]);
    expect((await bulk.digest({ fresh: true })).digest).toBe((await applied.digest()).digest);
  });

  it("counts facet values and search words as applies do, whatever characters they hold", async () => {
    const log = new EventLog();
    const home = log.category("home", "Home");
    // the write side refuses NUL and lone surrogates; anything else may come
    const colours = { a: 'red "💡" blue', b: "red", c: 'red "💡" blue', d: "rouge\u0301" };
    for (const [slug, colour] of Object.entries(colours)) {
      log.product({ slug, name: `Lamp ${colour}`, categoryId: home, attributes: { colour } });
    }
    const [bulk, applied] = [await open(), await open()];
    await rebuildViews({ source: memoryEventSource(log.events), store: bulk });
    await applied.apply(log.events);
    const extra = { attributeValues: [{ name: "colour" }] };
    expect(await diffViews(bulk, applied, log.events, extra)).toEqual([]);
    expect((await bulk.digest({ fresh: true })).digest).toBe((await applied.digest()).digest);
  });

  it("leaves views a crash cut short marked loading: no apply lands there, and a new rebuild redoes them", async () => {
    const store = await open();
    const fold = createBulkFold();
    fold.add(first);
    function* dying(): Generator<ViewRecord[]> {
      let n = 0;
      for (const chunk of fold.records(100)) {
        if (n++ === 3) throw new Error("killed mid-load");
        yield chunk;
      }
    }
    await expect(store.bulkLoad?.(dying(), fold.watermark)).rejects.toThrow("killed mid-load");
    expect(await store.watermark()).toBe(bulkLoadingWatermark);
    await expect(store.apply(first.slice(0, 10))).rejects.toThrow(/unfinished bulk load/);

    const redone = await rebuildViews({ source: memoryEventSource(first), store });
    const reference = await open();
    await reference.apply(first);
    expect(redone.digest).toBe((await reference.digest()).digest);
    expect(await diffViews(store, reference, first)).toEqual([]);
  });

  it("refuses views that already hold applied events", async () => {
    const store = await open();
    await store.apply(first.slice(0, 10));
    const fold = createBulkFold();
    fold.add(first);
    await expect(store.bulkLoad?.(fold.records(), fold.watermark)).rejects.toThrow(
      /nobody has applied to; .* is at seq 10/,
    );
    expect(await store.watermark()).toBe(10);
  });
});
