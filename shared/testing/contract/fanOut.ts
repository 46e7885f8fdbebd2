import { describe, expect, it } from "vitest";
import type { NavigationNode } from "../../views/readModels.ts";
import type { ViewStore } from "../../views/viewStore.ts";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { found, ids, type OpenStore } from "./harness.ts";
import { treeCatalog } from "./statsAndNavigation.ts";

const listing = async (store: ViewStore, slug: string) =>
  ids(
    found(
      await readsOf(store).categoryListing({ slug, sort: "price_asc", inStock: false, limit: 100 }),
    ).items,
  );

const navCounts = async (store: ViewStore) => {
  const counts: Record<string, [number, number]> = {};
  const walk = (nodes: NavigationNode[]) => {
    for (const n of nodes) {
      counts[n.slug] = [n.productCount, n.totalProductCount];
      walk(n.children);
    }
  };
  walk(found(await readsOf(store).navigation()));
  return counts;
};

/**
 * One section of `testViewStore`.
 *
 * @example
 * fanOutContract(storeOpener(factory));
 */
export function fanOutContract(open: OpenStore): void {
  describe("changes that reach many views", () => {
    it("carries a category rename to every product page below it, stats and navigation", async () => {
      const { log, home, lighting, lamps } = treeCatalog();
      const store = await open(log.events);
      await store.apply([log.renameCategory(lighting, "Lights & Lamps")]);
      for (const slug of ["l1", "l2", "l3"]) {
        expect(found(await readsOf(store).productPage({ slug })).category).toEqual({
          id: lamps,
          slug: "lamps",
          name: "Lamps",
          path: [
            { id: home, slug: "home", name: "Home" },
            { id: lighting, slug: "lighting", name: "Lights & Lamps" },
            { id: lamps, slug: "lamps", name: "Lamps" },
          ],
        });
      }
      expect(found(await readsOf(store).productPage({ slug: "g1" })).category.name).toBe(
        "Lights & Lamps",
      );
      expect(found(await readsOf(store).categoryStats({ slug: "lighting" }))).toMatchObject({
        category: { name: "Lights & Lamps" },
        version: 10,
      });
      const [, homeNode] = found(await readsOf(store).navigation());
      expect(homeNode?.children[0]).toMatchObject({ name: "Lights & Lamps", version: 10 });
    });

    it("takes an archived or deleted product out of listings, search, stats and counts", async () => {
      const { log } = treeCatalog();
      const store = await open(log.events);
      await store.apply([log.archive("l1"), log.delete("l2")]);
      expect(await listing(store, "lamps")).toEqual(["l3"]);
      expect(ids(found(await readsOf(store).search({ q: "l1", limit: 10 })).items)).toEqual([]);
      expect(ids(found(await readsOf(store).search({ q: "l2", limit: 10 })).items)).toEqual([]);
      expect(found(await readsOf(store).categoryStats({ slug: "lamps" }))).toMatchObject({
        productCount: 1,
        inStockCount: 1,
        prices: [{ currency: "USD", count: 1, min: 500, max: 500, avg: 500 }],
      });
      expect(await navCounts(store)).toMatchObject({
        lamps: [1, 1],
        lighting: [1, 2],
        home: [0, 2],
      });
      expect(found(await readsOf(store).productPage({ slug: "l1" })).status).toBe("archived");
      expect((await readsOf(store).productPage({ slug: "l2" })).data).toBeNull();
    });

    it("moves everything with a product that changes category", async () => {
      const { log, garden } = treeCatalog();
      const store = await open(log.events);
      await store.apply([log.update("l3", { categoryId: garden })]);
      expect(await listing(store, "lamps")).toEqual(["l1", "l2"]);
      expect(await listing(store, "garden")).toEqual(["l3"]);
      expect(
        found(await readsOf(store).categoryStats({ slug: "lamps" })).prices.map((p) => p.currency),
      ).toEqual(["EUR"]);
      expect(found(await readsOf(store).categoryStats({ slug: "garden" }))).toMatchObject({
        productCount: 1,
        prices: [{ currency: "USD", count: 1, min: 500, max: 500 }],
      });
      expect(await navCounts(store)).toMatchObject({ lamps: [2, 2], home: [0, 3], garden: [1, 1] });
      expect(found(await readsOf(store).productPage({ slug: "l3" })).category).toEqual({
        id: garden,
        slug: "garden",
        name: "Garden",
        path: [{ id: garden, slug: "garden", name: "Garden" }],
      });
    });

    it("finds the next min and max when the cheapest or dearest product leaves", async () => {
      const log = new EventLog();
      const c = log.category("c", "C");
      for (const [id, amount] of [
        ["a", 100],
        ["b", 100],
        ["m", 200],
        ["x", 300],
        ["y", 300],
      ] as const) {
        log.product({ id, slug: id, name: id, categoryId: c, price: { amount, currency: "EUR" } });
      }
      const store = await open(log.events);
      const range = async () => {
        const [eur] = found(await readsOf(store).categoryStats({ slug: "c" })).prices;
        return [eur?.min, eur?.max, eur?.count];
      };
      expect(await range()).toEqual([100, 300, 5]);
      await store.apply([log.archive("a")]);
      expect(await range()).toEqual([100, 300, 4]);
      await store.apply([log.delete("b")]);
      expect(await range()).toEqual([200, 300, 3]);
      await store.apply([log.delete("y")]);
      expect(await range()).toEqual([200, 300, 2]);
      await store.apply([log.price("x", 50)]);
      expect(await range()).toEqual([50, 200, 2]);
      await store.apply([log.archive("x"), log.price("m", 75), log.publish("a")]);
      expect(await range()).toEqual([75, 100, 2]);
    });

    it("carries the aggregate's own version in every result", async () => {
      const { log, lamps } = treeCatalog();
      const store = await open(log.events);
      const stock = log.stock("l1", 9);
      await store.apply([stock, log.renameCategory(lamps, "Lamps!")]);
      expect(found(await readsOf(store).productPage({ slug: "l1" })).version).toBe(stock.seq);
      const [first] = found(
        await readsOf(store).categoryListing({
          slug: "lamps",
          sort: "name",
          inStock: false,
          limit: 1,
        }),
      ).items;
      expect(first).toMatchObject({ id: "l1", version: stock.seq, createdSeq: 5 });
      expect(found(await readsOf(store).productPage({ slug: "l2" })).version).toBe(6);
      expect(found(await readsOf(store).categoryStats({ slug: "lamps" })).version).toBe(
        stock.seq + 1,
      );
    });
  });
}
