import { describe, expect, it } from "vitest";
import { memoryEventSource } from "../events/eventSource.ts";
import type { StoredEvent } from "../events/types.ts";
import { createBulkFold } from "../projection/bulkFold.ts";
import type { ViewRecord } from "../projection/records.ts";
import { bulkBuild, bulkLoadingWatermark, canBulkLoad } from "../views/bulkBuild.ts";
import type { ViewStore } from "../views/viewStore.ts";
import { diffViews, type ExtraExamples } from "./compareViews.ts";
import { openedPerTest } from "./contract/harness.ts";
import { EventLog } from "./eventLog.ts";
import { generateHistory } from "./randomHistory.ts";

/**
 * A fresh, empty store of the kind under test. `contents`, where the store
 * can list it, is everything it holds (indexes and bookkeeping included), so
 * two stores compare byte for byte and not only read for read.
 */
export type BulkLoadFactory = () => Promise<{
  store: ViewStore;
  contents?: () => Promise<unknown>;
  cleanup(): Promise<void>;
}>;

/** A fold's records with a crash after `chunks` of them. */
function* dying(records: Iterable<ViewRecord[]>, chunks: number): Generator<ViewRecord[]> {
  let n = 0;
  for (const chunk of records) {
    if (n++ === chunks) throw new Error("killed mid-load");
    yield chunk;
  }
}

/**
 * The contract of `ViewStore.bulkLoad`: what a bulk load builds (a fold,
 * then every record once) is what applying builds and evolves the same under
 * later applies; a load cut short leaves the namespace loading, refused by
 * applies and loaded again; views that hold applied events are refused.
 *
 * @example
 * testBulkLoad("SQL", async () => { const store = await openSqlViewStore(":memory:"); return { store, cleanup: () => store.close() }; });
 */
export function testBulkLoad(
  name: string,
  factory: BulkLoadFactory,
  history: readonly StoredEvent[] = generateHistory(2_000, 2026),
): void {
  describe(`bulk load contract: ${name}`, () => {
    const open = openedPerTest(factory);
    const load = async (store: ViewStore, events: readonly StoredEvent[]) => {
      expect(await canBulkLoad(store)).toBe(true);
      return bulkBuild(memoryEventSource(events), store, { pageSize: 250, chunkSize: 100 });
    };
    /** Both stores alike: byte for byte where the store can say, read for read always. */
    const expectAlike = async (
      a: Awaited<ReturnType<typeof open>>,
      b: Awaited<ReturnType<typeof open>>,
      events: readonly StoredEvent[],
      extra: ExtraExamples = {},
    ) => {
      if (a.contents && b.contents) expect(await a.contents()).toEqual(await b.contents());
      expect(await diffViews(a.store, b.store, events, extra)).toEqual([]);
    };
    const cut = Math.floor(history.length * 0.75);
    const first = history.slice(0, cut);
    const rest = history.slice(cut);

    it("builds what applying builds and takes later applies the same way", async () => {
      const [bulk, applied] = [await open(), await open()];
      expect(await load(bulk.store, first)).toMatchObject({ watermark: cut, head: cut });
      await applied.store.apply(first);
      await expectAlike(bulk, applied, first);
      // the kept digest (record hashes) agrees with one computed from every record
      expect((await bulk.store.digest({ fresh: true })).digest).toBe(
        (await bulk.store.digest()).digest,
      );
      for (let i = 0; i < rest.length; i += 250) {
        const page = rest.slice(i, i + 250);
        expect(await bulk.store.apply(page)).toEqual(await applied.store.apply(page));
      }
      await expectAlike(bulk, applied, history);
      expect((await bulk.store.digest({ fresh: true })).digest).toBe(
        (await applied.store.digest()).digest,
      );
    }, 120_000);

    it("counts facet values and search words as applies do, whatever characters they hold", async () => {
      const log = new EventLog();
      const home = log.category("home", "Home");
      // the write side refuses NUL and lone surrogates; anything else may come
      const colours = { a: 'red "💡" blue', b: "red", c: 'red "💡" blue', d: "rouge\u0301" };
      for (const [slug, colour] of Object.entries(colours)) {
        log.product({ slug, name: `Lamp ${colour}`, categoryId: home, attributes: { colour } });
      }
      const [bulk, applied] = [await open(), await open()];
      await load(bulk.store, log.events);
      await applied.store.apply(log.events);
      await expectAlike(bulk, applied, log.events, { attributeValues: [{ name: "colour" }] });
      expect((await bulk.store.digest({ fresh: true })).digest).toBe(
        (await applied.store.digest()).digest,
      );
    });

    it("leaves views a crash cut short marked loading: no apply lands there, and a new load redoes them", async () => {
      const cutShort = await open();
      const { store } = cutShort;
      const fold = createBulkFold();
      fold.add(first);
      await expect(store.bulkLoad?.(dying(fold.records(100), 3), fold.watermark)).rejects.toThrow(
        "killed mid-load",
      );
      expect(await store.watermark()).toBe(bulkLoadingWatermark);
      await expect(store.apply(first.slice(0, 10))).rejects.toThrow(/unfinished bulk load/);

      await load(store, first);
      const reference = await open();
      await reference.store.apply(first);
      expect((await store.digest()).digest).toBe((await reference.store.digest()).digest);
      // nothing of the cut-short load is left over, bookkeeping included
      await expectAlike(cutShort, reference, first);
    }, 120_000);

    it("refuses views that already hold applied events", async () => {
      const { store } = await open();
      await store.apply(first.slice(0, 10));
      expect(await canBulkLoad(store)).toBe(false);
      const fold = createBulkFold();
      fold.add(first);
      await expect(store.bulkLoad?.(fold.records(), fold.watermark)).rejects.toThrow(
        /nobody has applied to; .* is at seq 10/,
      );
      expect(await store.watermark()).toBe(10);
    });
  });
}
