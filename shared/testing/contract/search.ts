import { describe, expect, it } from "vitest";
import type { ViewStore } from "../../views/viewStore.ts";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { allPages, expectBadRequest, found, ids, type OpenStore } from "./harness.ts";

function searchCatalog() {
  const log = new EventLog();
  const c = log.category("shop", "Shop");
  const add = (id: string, name: string, description: string, status?: "draft") =>
    log.product({ id, slug: id, name, description, categoryId: c, status });
  add("s1", "Crème brûlée torch", "Kitchen tool");
  add("s2", "Torch", "A creme brulee classic");
  add("s3", "Lamp", "Red lamp");
  add("s4", "Red lamp", "");
  add("s5", "Red chair", "Goes with a lamp");
  add("s6", "Red lamp draft", "", "draft");
  add("s7", "Red lamp old", "");
  log.archive("s7");
  return log;
}

const hits = async (store: ViewStore, q: string, limit = 100) =>
  (await allPages((cursor) => readsOf(store).search({ q, limit, cursor }))).flat();

/**
 * One section of `testViewStore`.
 *
 * @example
 * searchContract(storeOpener(factory));
 */
export function searchContract(open: OpenStore): void {
  describe("search", () => {
    it("needs every word (AND) and ranks name hits above description hits", async () => {
      const store = await open(searchCatalog().events);
      const found = await hits(store, "red lamp");
      expect(found.map((h) => [h.id, h.score])).toEqual([
        ["s3", 4],
        ["s4", 4],
        ["s5", 3],
      ]);
      expect(ids(await hits(store, "lamp"))).toEqual(["s3", "s4", "s5"]);
      expect(await hits(store, "creme chair")).toEqual([]);
    });

    it("ignores case and diacritics on both sides", async () => {
      const store = await open(searchCatalog().events);
      expect(ids(await hits(store, "CRÈME brulee"))).toEqual(["s1", "s2"]);
      expect(ids(await hits(store, "brûlée"))).toEqual(["s1", "s2"]);
      expect(ids(await hits(store, "crème-brûlée!"))).toEqual(["s1", "s2"]);
    });

    it("finds only active products and returns their summaries", async () => {
      const store = await open(searchCatalog().events);
      const [first] = await hits(store, "lamp");
      expect(first).toEqual({
        id: "s3",
        slug: "s3",
        name: "Lamp",
        price: { amount: 1_000, currency: "EUR" },
        stockStatus: "in_stock",
        createdSeq: 4,
        version: 4,
        score: 3,
      });
      expect(ids(await hits(store, "draft"))).toEqual([]);
      expect(ids(await hits(store, "old"))).toEqual([]);
    });

    it("pages with a cursor in relevance order", async () => {
      const store = await open(searchCatalog().events);
      const pages = await allPages((cursor) =>
        readsOf(store).search({ q: "red lamp", limit: 1, cursor }),
      );
      expect(pages.map(ids)).toEqual([["s3"], ["s4"], ["s5"]]);
    });

    it("neither repeats nor skips unchanged hits while writes land between pages", async () => {
      const log = searchCatalog();
      const store = await open(log.events);
      const first = found(await readsOf(store).search({ q: "red lamp", limit: 1 }));
      expect(ids(first.items)).toEqual(["s3"]);
      log.product({
        id: "s0",
        slug: "s0",
        name: "Red lamp lamp",
        description: "red lamp",
        categoryId: "cat_shop",
      });
      log.product({
        id: "s9",
        slug: "s9",
        name: "Red",
        description: "lamp",
        categoryId: "cat_shop",
      });
      log.archive("s4");
      await store.apply(log.events);
      const rest = await allPages((cursor) =>
        readsOf(store).search({
          q: "red lamp",
          limit: 1,
          cursor: cursor ?? first.nextCursor ?? undefined,
        }),
      );
      expect(rest.flat().map((h) => [h.id, h.score])).toEqual([
        ["s5", 3],
        ["s9", 3],
      ]);
    });

    it("continues a one-word search after its cursor when the cursor's own product left or moved", async () => {
      const log = searchCatalog();
      const store = await open(log.events);
      const first = found(await readsOf(store).search({ q: "lamp", limit: 1 }));
      expect(ids(first.items)).toEqual(["s3"]);
      // s3 leaves; s0 scores as s3 did, but sorts before it: both are behind the cursor
      log.archive("s3");
      log.product({
        id: "s0",
        slug: "s0",
        name: "Lamp",
        description: "lamp",
        categoryId: "cat_shop",
      });
      await store.apply(log.events);
      const rest = await allPages((cursor) =>
        readsOf(store).search({ q: "lamp", limit: 1, cursor: cursor ?? first.nextCursor ?? "" }),
      );
      expect(rest.flat().map((h) => [h.id, h.score])).toEqual([
        ["s4", 2],
        ["s5", 1],
      ]);
    });

    it("answers an empty page for a query without words", async () => {
      const store = await open(searchCatalog().events);
      for (const q of ["", "   ", "!!! ---"]) {
        expect(await readsOf(store).search({ q, limit: 10 })).toEqual({
          watermark: 9,
          data: { items: [], nextCursor: null },
        });
      }
    });

    it("follows renames, description changes and status changes", async () => {
      const log = searchCatalog();
      const store = await open(log.events);
      await store.apply([
        log.update("s4", { name: "Blue lamp" }),
        log.update("s2", { description: "Plain" }),
        log.publish("s6"),
        log.archive("s3"),
      ]);
      expect(ids(await hits(store, "red lamp"))).toEqual(["s6", "s5"]);
      expect(ids(await hits(store, "blue"))).toEqual(["s4"]);
      expect(ids(await hits(store, "creme"))).toEqual(["s1"]);
    });

    it("rejects a garbage cursor and a bad limit with a typed 400", async () => {
      const store = await open(searchCatalog().events);
      const listing = found(
        await readsOf(store).categoryListing({
          slug: "shop",
          sort: "name",
          inStock: false,
          limit: 1,
        }),
      );
      await expectBadRequest(readsOf(store).search({ q: "lamp", limit: 1, cursor: "%%%" }));
      await expectBadRequest(
        readsOf(store).search({ q: "lamp", limit: 1, cursor: listing.nextCursor ?? "" }),
      );
      await expectBadRequest(readsOf(store).search({ q: "lamp", limit: 0 }));
    });
  });
}
