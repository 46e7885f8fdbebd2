import { describe, expect, it } from "vitest";
import { lowStockThreshold } from "../../projection/index.ts";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { found, type OpenStore } from "./harness.ts";

/**
 * One section of `testViewStore`.
 *
 * @example
 * productPageContract(storeOpener(factory));
 */
export function productPageContract(open: OpenStore): void {
  describe("product page", () => {
    it("is pre-joined with its category, the category path, price and stock status", async () => {
      const log = new EventLog();
      const home = log.category("home", "Home");
      const lighting = log.category("lighting", "Lighting", home);
      const lamps = log.category("lamps", "Lamps", lighting);
      const id = log.product({
        slug: "desk-lamp",
        name: "Desk lamp",
        description: "Brass, 40 cm",
        categoryId: lamps,
        price: { amount: 4_999, currency: "EUR" },
        stock: 12,
        attributes: { color: "brass", height: 40 },
      });
      const store = await open(log.events);
      const read = await readsOf(store).productPage({ slug: "desk-lamp" });
      expect(read.watermark).toBe(4);
      expect(read.data).toEqual({
        id,
        sku: "SKU-desk-lamp",
        slug: "desk-lamp",
        name: "Desk lamp",
        description: "Brass, 40 cm",
        price: { amount: 4_999, currency: "EUR" },
        status: "active",
        attributes: { color: "brass", height: 40 },
        stock: 12,
        stockStatus: "in_stock",
        category: {
          id: lamps,
          slug: "lamps",
          name: "Lamps",
          path: [
            { id: home, slug: "home", name: "Home" },
            { id: lighting, slug: "lighting", name: "Lighting" },
            { id: lamps, slug: "lamps", name: "Lamps" },
          ],
        },
        createdSeq: 4,
        version: 4,
      });
    });

    it("answers null with the watermark for an unknown slug", async () => {
      const log = new EventLog();
      log.category("home", "Home");
      const store = await open(log.events);
      expect(await readsOf(store).productPage({ slug: "nope" })).toEqual({
        watermark: 1,
        data: null,
      });
    });

    it("derives stock status from the stock level at the thresholds", async () => {
      const log = new EventLog();
      const home = log.category("home", "Home");
      const id = log.product({ slug: "p", name: "P", categoryId: home, stock: 0 });
      const store = await open(log.events);
      const statusAt = async (stock: number) => {
        await store.apply([log.stock(id, stock)]);
        return found(await readsOf(store).productPage({ slug: "p" })).stockStatus;
      };
      expect(found(await readsOf(store).productPage({ slug: "p" })).stockStatus).toBe(
        "out_of_stock",
      );
      expect(await statusAt(1)).toBe("low_stock");
      expect(await statusAt(lowStockThreshold)).toBe("low_stock");
      expect(await statusAt(lowStockThreshold + 1)).toBe("in_stock");
      expect(await statusAt(0)).toBe("out_of_stock");
    });

    it("exists for active and archived products, not for drafts or deleted ones", async () => {
      const log = new EventLog();
      const home = log.category("home", "Home");
      const id = log.product({ slug: "p", name: "P", categoryId: home, status: "draft" });
      const store = await open(log.events);
      expect((await readsOf(store).productPage({ slug: "p" })).data).toBeNull();
      await store.apply([log.publish(id)]);
      expect(found(await readsOf(store).productPage({ slug: "p" })).status).toBe("active");
      await store.apply([log.archive(id)]);
      expect(found(await readsOf(store).productPage({ slug: "p" }))).toMatchObject({
        status: "archived",
        version: 4,
      });
      await store.apply([log.publish(id)]);
      expect(found(await readsOf(store).productPage({ slug: "p" })).status).toBe("active");
      await store.apply([log.delete(id)]);
      expect(await readsOf(store).productPage({ slug: "p" })).toEqual({ watermark: 6, data: null });
    });

    it("carries every change to the product with the product's version", async () => {
      const log = new EventLog();
      const home = log.category("home", "Home");
      const id = log.product({ slug: "p", name: "P", categoryId: home, status: "draft" });
      log.update(id, { name: "Pretty lamp", description: "New text", attributes: { w: 3 } });
      log.price(id, 777, "USD");
      log.stock(id, 3, -7);
      log.publish(id);
      const store = await open(log.events);
      expect(found(await readsOf(store).productPage({ slug: "p" }))).toMatchObject({
        name: "Pretty lamp",
        description: "New text",
        attributes: { w: 3 },
        price: { amount: 777, currency: "USD" },
        stock: 3,
        stockStatus: "low_stock",
        createdSeq: 2,
        version: 6,
      });
    });
  });
}
