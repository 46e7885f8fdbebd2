import { describe, expect, it } from "vitest";
import {
  allPages,
  expectBadRequest,
  found,
  ids,
  type OpenStore,
} from "../../../testing/contract/harness.ts";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import type { ListingSort } from "../../readModels.ts";
import type { ViewStore } from "../../viewStore.ts";

/** Active products in three categories (one nested), a draft, an archived one and one sold out. */
function catalog() {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  const rugs = log.category("rugs", "Rugs");
  const add = (id: string, categoryId: string, name: string, amount: number, stock = 3) =>
    log.product({ id, slug: id, name, categoryId, price: { amount, currency: "EUR" }, stock });
  add("a1", lamps, "Desk lamp", 500);
  add("a2", rugs, "Wool rug", 200, 0);
  add("a3", home, "Vase", 300);
  add("a4", lamps, "Floor lamp", 200);
  log.product({ id: "a5", slug: "a5", name: "Draft", categoryId: rugs, status: "draft" });
  add("a6", rugs, "Old rug", 100);
  log.archive("a6");
  return { log, lamps, rugs };
}

const expected: Record<ListingSort, string[]> = {
  newest: ["a4", "a3", "a2", "a1"],
  price_asc: ["a2", "a4", "a3", "a1"],
  price_desc: ["a1", "a3", "a2", "a4"],
  name: ["a1", "a4", "a3", "a2"],
};

const walk = (store: ViewStore, sort: ListingSort, inStock: boolean, limit: number) =>
  allPages((cursor) => readsOf(store).catalogListing({ sort, inStock, limit, cursor }));

/**
 * The catalog listing section of `testViewStore`.
 *
 * @example
 * catalogListingContract(storeOpener(factory));
 */
export function catalogListingContract(open: OpenStore): void {
  describe("catalog listing", () => {
    it("lists the active products of every category in each order, ties broken by id", async () => {
      const store = await open(catalog().log.events);
      for (const sort of Object.keys(expected) as ListingSort[]) {
        expect(
          (await walk(store, sort, false, 100)).flat().map((p) => p.id),
          sort,
        ).toEqual(expected[sort]);
      }
      // newest first is the default order
      expect(ids(found(await readsOf(store).catalogListing({})).items)).toEqual(expected.newest);
    });

    it("filters to products in stock and pages with cursors, the last page saying so", async () => {
      const store = await open(catalog().log.events);
      const pages = await walk(store, "price_asc", true, 2);
      expect(pages.map(ids)).toEqual([["a4", "a3"], ["a1"]]);
      expect(ids((await walk(store, "newest", false, 1)).flat())).toEqual(expected.newest);
    });

    it("follows publishes, archives, price, stock and category changes", async () => {
      const { log, rugs } = catalog();
      const store = await open(log.events);
      await store.apply([
        log.publish("a5"),
        log.archive("a1"),
        log.price("a3", 50),
        log.stock("a2", 4, 4),
        log.update("a4", { categoryId: rugs }),
      ]);
      const prices = (await walk(store, "price_asc", false, 10)).flat();
      expect(prices.map((p) => [p.id, p.price.amount])).toEqual([
        ["a3", 50],
        ["a2", 200],
        ["a4", 200],
        ["a5", 1_000],
      ]);
      expect(ids((await walk(store, "newest", true, 10)).flat())).toEqual(["a5", "a4", "a3", "a2"]);
    });

    it("answers an empty page before any product, and rejects bad input with a 400", async () => {
      const empty = await open();
      expect(await readsOf(empty).catalogListing({ limit: 5 })).toEqual({
        watermark: 0,
        data: { items: [], nextCursor: null },
      });
      const store = await open(catalog().log.events);
      const first = found(await readsOf(store).catalogListing({ sort: "name", limit: 1 }));
      await expectBadRequest(readsOf(store).catalogListing({ limit: 0 }));
      await expectBadRequest(readsOf(store).catalogListing({ cursor: "garbage!" }));
      // a cursor names its sort and filter: carried to another, it is refused
      await expectBadRequest(
        readsOf(store).catalogListing({ sort: "newest", cursor: first.nextCursor ?? "" }),
      );
    });
  });
}
