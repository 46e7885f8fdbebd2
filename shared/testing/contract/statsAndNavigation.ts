import { describe, expect, it } from "vitest";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { found, type OpenStore } from "./harness.ts";

/**
 * home > lighting > lamps, and garden; products in lamps (two currencies) and lighting.
 *
 * @example
 * const { log, lamps } = treeCatalog();
 */
export function treeCatalog() {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lighting = log.category("lighting", "Lighting", home);
  const lamps = log.category("lamps", "Lamps", lighting);
  const garden = log.category("garden", "Garden");
  const add = (id: string, categoryId: string, amount: number, currency: string, stock: number) =>
    log.product({ id, slug: id, name: id, categoryId, price: { amount, currency }, stock });
  add("l1", lamps, 1_000, "EUR", 3);
  add("l2", lamps, 2_001, "EUR", 0);
  add("l3", lamps, 500, "USD", 7);
  log.product({ id: "l4", slug: "l4", name: "l4", categoryId: lamps, status: "draft" });
  add("g1", lighting, 300, "EUR", 1);
  return { log, home, lighting, lamps, garden };
}

/**
 * One section of `testViewStore`.
 *
 * @example
 * statsAndNavigationContract(storeOpener(factory));
 */
export function categoryStatsContract(open: OpenStore): void {
  describe("category stats", () => {
    it("materializes counts and per-currency min, max and average", async () => {
      const { log, lamps } = treeCatalog();
      const store = await open(log.events);
      expect(await readsOf(store).categoryStats({ slug: "lamps" })).toEqual({
        watermark: 9,
        data: {
          category: { id: lamps, slug: "lamps", name: "Lamps" },
          productCount: 3,
          inStockCount: 2,
          prices: [
            { currency: "EUR", count: 2, min: 1_000, max: 2_001, avg: 1_501 },
            { currency: "USD", count: 1, min: 500, max: 500, avg: 500 },
          ],
          version: 3,
        },
      });
    });

    it("answers zeros for an empty category and null for an unknown one", async () => {
      const { log, garden } = treeCatalog();
      const store = await open(log.events);
      expect(found(await readsOf(store).categoryStats({ slug: "garden" }))).toEqual({
        category: { id: garden, slug: "garden", name: "Garden" },
        productCount: 0,
        inStockCount: 0,
        prices: [],
        version: 4,
      });
      expect(await readsOf(store).categoryStats({ slug: "nope" })).toEqual({
        watermark: 9,
        data: null,
      });
    });

    it("follows stock and price changes", async () => {
      const { log } = treeCatalog();
      const store = await open(log.events);
      await store.apply([log.stock("l2", 4), log.stock("l1", 0), log.price("l3", 900, "EUR")]);
      expect(found(await readsOf(store).categoryStats({ slug: "lamps" }))).toMatchObject({
        productCount: 3,
        inStockCount: 2,
        prices: [{ currency: "EUR", count: 3, min: 900, max: 2_001, avg: 1_300 }],
      });
    });
  });
}

/**
 * The navigation section of `testViewStore`.
 *
 * @example
 * navigationContract(storeOpener(factory));
 */
export function navigationContract(open: OpenStore): void {
  describe("navigation", () => {
    it("is the category tree with direct and total active product counts", async () => {
      const { log, home, lighting, lamps, garden } = treeCatalog();
      const store = await open(log.events);
      const node = (id: string, slug: string, name: string, direct: number, total: number) => ({
        id,
        slug,
        name,
        productCount: direct,
        totalProductCount: total,
      });
      expect(await readsOf(store).navigation()).toEqual({
        watermark: 9,
        data: [
          { ...node(garden, "garden", "Garden", 0, 0), version: 4, children: [] },
          {
            ...node(home, "home", "Home", 0, 4),
            version: 1,
            children: [
              {
                ...node(lighting, "lighting", "Lighting", 1, 4),
                version: 2,
                children: [{ ...node(lamps, "lamps", "Lamps", 3, 3), version: 3, children: [] }],
              },
            ],
          },
        ],
      });
    });

    it("is an empty list before any category exists", async () => {
      const store = await open();
      expect(await readsOf(store).navigation()).toEqual({ watermark: 0, data: [] });
    });
  });
}
