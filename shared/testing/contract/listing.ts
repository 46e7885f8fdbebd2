import { describe, expect, it } from "vitest";
import type { CategoryListingQuery, ListingSort } from "../../views/readModels.ts";
import type { ViewStore } from "../../views/viewStore.ts";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { allPages, expectBadRequest, found, ids, type OpenStore } from "./harness.ts";

/** Five active products whose ids, names, prices and ages disagree, so every sort differs. */
function listingCatalog() {
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  const other = log.category("other", "Other");
  const add = (id: string, name: string, amount: number, stock: number) =>
    log.product({
      id,
      slug: id,
      name,
      categoryId: lamps,
      price: { amount, currency: "EUR" },
      stock,
    });
  add("p3", "Banana", 300, 5);
  add("p1", "apple", 100, 0);
  add("p5", "Cherry", 300, 9);
  add("p2", "Äpfel", 200, 2);
  add("p4", "banana", 300, 1);
  log.product({ id: "p6", slug: "p6", name: "Draft", categoryId: lamps, status: "draft" });
  const archived = log.product({ id: "p7", slug: "p7", name: "Old", categoryId: lamps });
  log.archive(archived);
  log.product({ id: "p8", slug: "p8", name: "Elsewhere", categoryId: other });
  return { log, lamps };
}

const expected: Record<ListingSort, string[]> = {
  price_asc: ["p1", "p2", "p3", "p4", "p5"],
  price_desc: ["p3", "p4", "p5", "p2", "p1"],
  name: ["p2", "p1", "p3", "p4", "p5"],
  newest: ["p4", "p2", "p5", "p1", "p3"],
};

const list = (store: ViewStore, sort: ListingSort, inStock: boolean, limit: number) =>
  allPages((cursor) =>
    readsOf(store).categoryListing({ slug: "lamps", sort, inStock, limit, cursor }),
  );

/**
 * One section of `testViewStore`.
 *
 * @example
 * listingContract(storeOpener(factory));
 */
export function listingContract(open: OpenStore): void {
  describe("category listing", () => {
    it("sorts active products by price, name and age, ties broken by id", async () => {
      const store = await open(listingCatalog().log.events);
      for (const sort of Object.keys(expected) as ListingSort[]) {
        const [page] = await list(store, sort, false, 100);
        expect(ids(page ?? []), sort).toEqual(expected[sort]);
      }
    });

    it("filters to products in stock", async () => {
      const store = await open(listingCatalog().log.events);
      const [page] = await list(store, "price_asc", true, 100);
      expect(ids(page ?? [])).toEqual(["p2", "p3", "p4", "p5"]);
    });

    it("pages through every sort with cursors, the last page saying so", async () => {
      const store = await open(listingCatalog().log.events);
      for (const sort of Object.keys(expected) as ListingSort[]) {
        const pages = await list(store, sort, false, 2);
        expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
        expect(pages.flat().map((p) => p.id)).toEqual(expected[sort]);
      }
      const inStock = await list(store, "name", true, 2);
      expect(inStock.flat().map((p) => p.id)).toEqual(["p2", "p3", "p4", "p5"]);
    });

    it("returns summaries with price, stock status and versions", async () => {
      const store = await open(listingCatalog().log.events);
      const [page] = await list(store, "price_asc", false, 1);
      expect(page).toEqual([
        {
          id: "p1",
          slug: "p1",
          name: "apple",
          price: { amount: 100, currency: "EUR" },
          stockStatus: "out_of_stock",
          createdSeq: 4,
          version: 4,
        },
      ]);
    });

    it("neither repeats nor skips unchanged products while writes land between pages", async () => {
      const { log, lamps } = listingCatalog();
      const store = await open(log.events);
      const first = found(
        await readsOf(store).categoryListing({
          slug: "lamps",
          sort: "price_asc",
          inStock: false,
          limit: 2,
        }),
      );
      expect(ids(first.items)).toEqual(["p1", "p2"]);
      const p = (id: string, amount: number) =>
        log.product({
          id,
          slug: id,
          name: id,
          categoryId: lamps,
          price: { amount, currency: "EUR" },
        });
      p("p0", 50);
      p("p9", 250);
      log.delete("p4");
      log.price("p3", 150);
      log.archive("p1");
      await store.apply(log.events);
      const rest = await allPages((cursor) =>
        readsOf(store).categoryListing({
          slug: "lamps",
          sort: "price_asc",
          inStock: false,
          limit: 2,
          cursor: cursor ?? first.nextCursor ?? undefined,
        }),
      );
      const seen = [...ids(first.items), ...rest.flat().map((r) => r.id)];
      expect(seen).toEqual(["p1", "p2", "p9", "p5"]);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it("answers null for an unknown category and an empty page for an empty one", async () => {
      const log = new EventLog();
      log.category("empty", "Empty");
      const store = await open(log.events);
      const query = { sort: "name", inStock: false, limit: 10 } as const;
      expect(await readsOf(store).categoryListing({ slug: "nope", ...query })).toEqual({
        watermark: 1,
        data: null,
      });
      expect(await readsOf(store).categoryListing({ slug: "empty", ...query })).toEqual({
        watermark: 1,
        data: { items: [], nextCursor: null },
      });
    });

    it("rejects garbage and foreign cursors and bad limits with a typed 400", async () => {
      const store = await open(listingCatalog().log.events);
      const q: CategoryListingQuery = { sort: "price_asc", inStock: false, limit: 2 };
      const cursor =
        found(await readsOf(store).categoryListing({ slug: "lamps", ...q })).nextCursor ?? "";
      const bad = (query: Partial<CategoryListingQuery>) =>
        expectBadRequest(readsOf(store).categoryListing({ slug: "lamps", ...q, ...query }));
      await bad({ cursor: "!!!not base64!!!" });
      await bad({ cursor: "bm90IGpzb24" });
      await bad({ cursor: btoa(JSON.stringify({ v: 1, t: "l", s: "name" })) });
      await bad({ cursor: `${cursor}x` });
      await bad({ cursor: "" });
      await bad({ sort: "name", cursor });
      await bad({ inStock: true, cursor });
      await bad({ limit: 0 });
      await bad({ limit: 101 });
      await bad({ limit: 1.5 });
    });
  });
}
