import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestRecords } from "../digest/index.ts";
import type { Category, Product } from "../domain/catalog.ts";
import type { StoredEvent } from "../events/types.ts";
import { EventLog } from "../testing/eventLog.ts";
import { generateHistory, historyArbitrary } from "../testing/randomHistory.ts";
import { referenceFold } from "../testing/referenceFold.ts";
import { BulkFoldGapError, createBulkFold } from "./bulkFold.ts";
import { bulkRecords } from "./bulkRecords.ts";
import { type RecordKind, recordKinds, type ViewRecord } from "./records.ts";
import { compareCodePoints } from "./text.ts";

const kindRank = new Map(recordKinds.map((k, i) => [k, i]));
const canonical = (records: readonly ViewRecord[]) =>
  [...records].sort(
    (a, b) =>
      (kindRank.get(a.kind) ?? 0) - (kindRank.get(b.kind) ?? 0) || compareCodePoints(a.key, b.key),
  );

/** The log handed over in pages of the given sizes (cycled), then read back in chunks. */
function bulkBuild(
  events: readonly StoredEvent[],
  pageSizes: readonly number[],
  chunkSize: number,
) {
  const bulk = createBulkFold();
  for (let i = 0, k = 0; i < events.length; k++) {
    const size = pageSizes[k % pageSizes.length] ?? 1;
    bulk.add(events.slice(i, i + size));
    i += size;
  }
  return { watermark: bulk.watermark, chunks: [...bulk.records(chunkSize)] };
}

/** The kinds only the last chunk may hold: they need every product counted. */
const catalogKinds: ReadonlySet<RecordKind> = new Set([
  "category",
  "counters",
  "stats",
  "navigation",
]);

function expectWellChunked(chunks: readonly ViewRecord[][], chunkSize: number) {
  chunks.forEach((chunk, i) => {
    const last = i === chunks.length - 1;
    expect(chunk.length).toBeGreaterThan(0);
    const products = chunk.filter((r) => r.kind === "product").length;
    expect(products).toBeLessThanOrEqual(chunkSize);
    if (!last) expect(chunk.filter((r) => catalogKinds.has(r.kind))).toEqual([]);
  });
  const keys = chunks.flat().map((r) => `${r.kind}/${r.key}`);
  expect(new Set(keys).size).toBe(keys.length);
}

async function expectSameAsReference(events: readonly StoredEvent[], chunks: ViewRecord[][]) {
  const reference = await referenceFold(events);
  const records = chunks.flat();
  expect(canonical(records)).toEqual(canonical(reference.records));
  expect(await digestRecords(records)).toBe(reference.digest);
}

describe("bulk fold: views built once from the final state", () => {
  it("equals the reference fold on random histories, however the log is paged and chunked", async () => {
    const shape = fc.record({
      pageSizes: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 6 }),
      chunkSize: fc.integer({ min: 1, max: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(historyArbitrary({ maxEvents: 120 }), shape, async (events, s) => {
        const { watermark, chunks } = bulkBuild(events, s.pageSizes, s.chunkSize);
        expect(watermark).toBe(events.length);
        expectWellChunked(chunks, s.chunkSize);
        await expectSameAsReference(events, chunks);
        // Paging decides nothing: the whole log in one page gives the very same chunks.
        expect(bulkBuild(events, [events.length], s.chunkSize).chunks).toEqual(chunks);
      }),
      { numRuns: 150 },
    );
  });

  it("equals the reference fold on a longer history with renames, moves, archives, deletes and stock 0", async () => {
    const events = generateHistory(2_500, 7);
    const has = (test: (e: StoredEvent) => boolean) => events.some(test);
    expect(has((e) => e.type === "category.renamed")).toBe(true);
    expect(has((e) => e.type === "product.updated" && e.data.categoryId !== undefined)).toBe(true);
    expect(has((e) => e.type === "product.archived")).toBe(true);
    expect(has((e) => e.type === "product.deleted")).toBe(true);
    expect(has((e) => e.type === "product.stockAdjusted" && e.data.stock === 0)).toBe(true);
    const reference = await referenceFold(events);
    for (const chunkSize of [1, 97, 5_000]) {
      const { chunks } = bulkBuild(events, [1_000, 333], chunkSize);
      expectWellChunked(chunks, chunkSize);
      expect(canonical(chunks.flat())).toEqual(canonical(reference.records));
      expect(await digestRecords(chunks.flat())).toBe(reference.digest);
    }
  });

  it("shows a rename on every page below it and leaves nothing of a deleted product", () => {
    const log = new EventLog();
    const home = log.category("home", "Home");
    const lamps = log.category("lamps", "Lamps", home);
    const lamp = log.product({ slug: "lamp", name: "Lamp", categoryId: lamps });
    const gone = log.product({ slug: "gone", name: "Gone", categoryId: lamps, stock: 0 });
    log.renameCategory(home, "House");
    log.delete(gone);
    const { chunks } = bulkBuild(log.events, [2], 10);
    const records = chunks.flat();
    const page = records.find((r) => r.kind === "page" && r.key === "lamp");
    expect(page?.kind === "page" && page.value.category.path.map((c) => c.name)).toEqual([
      "House",
      "Lamps",
    ]);
    expect(records.filter((r) => r.key === gone || r.key === "gone")).toEqual([]);
    const counters = records.find((r) => r.kind === "counters" && r.key === home);
    expect(counters?.kind === "counters" && counters.value.totalProductCount).toBe(1);
    expect(records.find((r) => r.kind === "product")?.key).toBe(lamp);
  });
});

describe("bulk records: chunks and order", () => {
  it("adds counters up across diffs: splitting a chunk into many changes no record", () => {
    const events = generateHistory(1_500, 11);
    const whole = bulkBuild(events, [500], 50).chunks;
    const state = whole.flat();
    const categories = new Map<string, Category>();
    const products = new Map<string, Product>();
    for (const r of state) {
      if (r.kind === "category") categories.set(r.key, r.value);
      if (r.kind === "product") products.set(r.key, r.value);
    }
    const split = [...bulkRecords(categories, products, { chunkSize: 50, productsPerDiff: 3 })];
    expect(split).toEqual(whole);
  });

  it("hands products out in code-point order, which UTF-16 order is not beyond U+FFFF", () => {
    const log = new EventLog();
    const home = log.category("home", "Home");
    for (const id of ["prd_\u{1D49C}", "prd_\uFFFD", "prd_b", "prd_a"]) {
      log.product({ id, slug: id, name: "x", categoryId: home });
    }
    const [first] = bulkBuild(log.events, [9], 10).chunks;
    const ids = first?.filter((r) => r.kind === "product").map((r) => r.key);
    expect(ids).toEqual(["prd_a", "prd_b", "prd_\uFFFD", "prd_\u{1D49C}"]);
  });
});

describe("bulk fold: the log it is handed", () => {
  const log = new EventLog();
  const home = log.category("home", "Home");
  for (const slug of ["a", "b", "c", "d", "e", "f"]) {
    log.product({ slug, name: slug, categoryId: home });
  }
  const [e1, e2, e3, e4, e5, e6, e7] = log.events as [StoredEvent, ...StoredEvent[]];

  it("throws on a hole, naming the missing seqs, and takes nothing of that page", async () => {
    const bulk = createBulkFold();
    bulk.add([e1, e2, e3].filter((e) => e !== undefined));
    const hole = [e6, e7].filter((e) => e !== undefined);
    expect(() => bulk.add(hole)).toThrow(BulkFoldGapError);
    expect(() => bulk.add(hole)).toThrow("the bulk fold is missing seqs 4-5 after its watermark 3");
    try {
      bulk.add(hole);
    } catch (error) {
      expect(error).toMatchObject({ missing: { from: 4, to: 5 }, watermark: 3 });
    }
    expect(bulk.watermark).toBe(3);
    bulk.add(log.events.slice(3));
    expect(bulk.watermark).toBe(7);
    const reference = await referenceFold(log.events);
    expect(await digestRecords([...bulk.records()].flat())).toBe(reference.digest);
  });

  it("needs seq 1 first", () => {
    expect(() => createBulkFold().add([e2, e3].filter((e) => e !== undefined))).toThrow(
      "missing seqs 1-1 after its watermark 0",
    );
  });

  it("ignores what arrives again and puts a shuffled page in order, as a store's apply does", async () => {
    const bulk = createBulkFold();
    bulk.add([e3, e1, e2].filter((e) => e !== undefined));
    bulk.add([e1, e2, e3].filter((e) => e !== undefined));
    bulk.add([e2, e3, e5, e4, e4].filter((e) => e !== undefined));
    expect(bulk.watermark).toBe(5);
    bulk.add(log.events.slice(5));
    const reference = await referenceFold(log.events);
    expect(await digestRecords([...bulk.records()].flat())).toBe(reference.digest);
  });

  it("refuses events added while its records are read, and a chunk size below one", () => {
    const bulk = createBulkFold();
    bulk.add(log.events.slice(0, 6));
    const reading = bulk.records(1)[Symbol.iterator]();
    reading.next();
    bulk.add(log.events.slice(6));
    expect(() => reading.next()).toThrow("moved from 6 to 7 while its records were read");
    expect(() => bulk.records(0)).toThrow(RangeError);
  });
});
