import { describe, expect, it } from "vitest";
import type { AttributeQuery } from "../../views/readModels.ts";
import type { ViewStore } from "../../views/viewStore.ts";
import { EventLog } from "../eventLog.ts";
import { readsOf } from "../modelReads.ts";
import { allPages, expectBadRequest, found, ids, type OpenStore } from "./harness.ts";

/**
 * Active products with colors, sizes of every value type, a draft and an
 * archived product that must never show, names that sort apart from their ids.
 */
function facetCatalog() {
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  const chairs = log.category("chairs", "Chairs");
  const add = (
    id: string,
    name: string,
    attributes: Record<string, string | number | boolean>,
    more: { status?: "draft" | "active"; categoryId?: string } = {},
  ) =>
    log.product({
      id,
      slug: id,
      name,
      categoryId: more.categoryId ?? lamps,
      status: more.status ?? "active",
      attributes,
    });
  add("p3", "Banana lamp", { color: "red", size: 3, dimmable: true });
  add("p1", "apple lamp", { color: "red", size: "3", dimmable: false });
  add("p5", "Cherry chair", { color: "red", size: 3.5 }, { categoryId: chairs });
  add("p2", "Äpfel lamp", { color: "blue", size: 3 });
  add("p4", "banana lamp", { color: "red" });
  add("p6", "Draft lamp", { color: "red" }, { status: "draft" });
  log.archive(add("p7", "Old lamp", { color: "red" }));
  add("p8", "Plain lamp", {});
  return { log, lamps, chairs };
}

const facet = (store: ViewStore, name: string, value: string, limit = 100) =>
  allPages((cursor) => readsOf(store).productsByAttribute({ name, value, limit, cursor }));

const facetIds = async (store: ViewStore, name: string, value: string) =>
  (await facet(store, name, value)).flat().map((p) => p.id);

/**
 * One section of `testViewStore`: products by attribute value (faceted filtering).
 *
 * @example
 * attributesContract(storeOpener(factory));
 */
export function attributesContract(open: OpenStore): void {
  describe("products by attribute value", () => {
    it("lists the active products with a value across categories, by name then id", async () => {
      const store = await open(facetCatalog().log.events);
      expect(await facetIds(store, "color", "red")).toEqual(["p1", "p3", "p4", "p5"]);
      expect(await facetIds(store, "color", "blue")).toEqual(["p2"]);
    });

    it("compares values as text: numbers by String(n), booleans as true and false", async () => {
      const store = await open(facetCatalog().log.events);
      expect(await facetIds(store, "size", "3")).toEqual(["p2", "p1", "p3"]);
      expect(await facetIds(store, "size", "3.5")).toEqual(["p5"]);
      expect(await facetIds(store, "dimmable", "true")).toEqual(["p3"]);
      expect(await facetIds(store, "dimmable", "false")).toEqual(["p1"]);
      expect(await facetIds(store, "Color", "red")).toEqual([]);
      expect(await facetIds(store, "color", "Red")).toEqual([]);
    });

    it("answers the listing's summaries, kept current by price and stock changes", async () => {
      const { log } = facetCatalog();
      const store = await open(log.events);
      await store.apply([log.price("p2", 4_200), log.stock("p2", 0, -10)]);
      const [page] = await facet(store, "color", "blue");
      expect(page).toEqual([
        {
          id: "p2",
          slug: "p2",
          name: "Äpfel lamp",
          price: { amount: 4_200, currency: "EUR" },
          stockStatus: "out_of_stock",
          createdSeq: 6,
          version: 13,
        },
      ]);
    });

    it("answers an empty page, not null, for an unknown attribute or value", async () => {
      const store = await open(facetCatalog().log.events);
      const q: AttributeQuery = { limit: 10 };
      const empty = { items: [], nextCursor: null };
      expect(
        await readsOf(store).productsByAttribute({ name: "nope", value: "red", ...q }),
      ).toEqual({
        watermark: 11,
        data: empty,
      });
      expect(
        await readsOf(store).productsByAttribute({ name: "color", value: "green", ...q }),
      ).toEqual({
        watermark: 11,
        data: empty,
      });
      const blank = await open();
      expect(
        await readsOf(blank).productsByAttribute({ name: "color", value: "red", ...q }),
      ).toEqual({
        watermark: 0,
        data: empty,
      });
    });

    it("moves a product between values when its attributes or name change", async () => {
      const { log } = facetCatalog();
      const store = await open(log.events);
      await store.apply([
        log.update("p1", { attributes: { color: "blue", size: 4 } }),
        log.update("p4", { name: "Zebra lamp" }),
      ]);
      expect(await facetIds(store, "color", "red")).toEqual(["p3", "p5", "p4"]);
      expect(await facetIds(store, "color", "blue")).toEqual(["p2", "p1"]);
      expect(await facetIds(store, "size", "3")).toEqual(["p2", "p3"]);
      expect(await facetIds(store, "size", "4")).toEqual(["p1"]);
      expect(await facetIds(store, "dimmable", "false")).toEqual([]);
      await store.apply([log.update("p2", { attributes: {} })]);
      expect(await facetIds(store, "color", "blue")).toEqual(["p1"]);
    });

    it("takes archived and deleted products out, and brings republished ones back", async () => {
      const { log } = facetCatalog();
      const store = await open(log.events);
      await store.apply([
        log.archive("p3"),
        log.delete("p4"),
        log.publish("p6"),
        log.publish("p7"),
      ]);
      expect(await facetIds(store, "color", "red")).toEqual(["p1", "p5", "p6", "p7"]);
      expect(await facetIds(store, "dimmable", "true")).toEqual([]);
      await store.apply([log.archive("p6"), log.delete("p7")]);
      expect(await facetIds(store, "color", "red")).toEqual(["p1", "p5"]);
    });

    it("pages with cursors, the last page saying so, and rejects bad input with a 400", async () => {
      const store = await open(facetCatalog().log.events);
      const pages = await facet(store, "color", "red", 3);
      expect(pages.map(ids)).toEqual([["p1", "p3", "p4"], ["p5"]]);
      const two = await facet(store, "color", "red", 2);
      expect(two.map(ids)).toEqual([
        ["p1", "p3"],
        ["p4", "p5"],
      ]);
      const first = found(
        await readsOf(store).productsByAttribute({ name: "color", value: "red", limit: 2 }),
      );
      const listing = found(
        await readsOf(store).categoryListing({
          slug: "lamps",
          sort: "name",
          inStock: false,
          limit: 1,
        }),
      );
      const bad = (name: string, value: string, q: AttributeQuery) =>
        expectBadRequest(readsOf(store).productsByAttribute({ name, value, ...q }));
      await bad("color", "red", { limit: 2, cursor: "!!!not base64!!!" });
      await bad("color", "red", { limit: 2, cursor: `${first.nextCursor}x` });
      await bad("color", "red", { limit: 2, cursor: listing.nextCursor ?? "" });
      await bad("color", "red", { limit: 0 });
      await bad("color", "red", { limit: 101 });
      await bad("", "red", { limit: 2 });
      await bad("color", "", { limit: 2 });
      await bad("x".repeat(65), "red", { limit: 2 });
      await bad("color", "x".repeat(501), { limit: 2 });
      await bad("col\u0000or", "red", { limit: 2 });
      await bad("color", "re\nd", { limit: 2 });
      await expectBadRequest(readsOf(store).attributeValues({ name: "co\tlor" }));
    });

    it("keeps facets apart whatever their names and values hold", async () => {
      const log = new EventLog();
      const c = log.category("c", "C");
      const add = (id: string, attributes: Record<string, string>) =>
        log.product({ id, slug: id, name: id, categoryId: c, attributes });
      add("q1", { a: "bc", "a:b": "c", "Crème brûlée": "100% / 🍮" });
      add("q2", { ab: "c", a: "b:c", "crème brûlée": "100%/🍮" });
      add("q3", { "1:a": "bc", " a": "bc" });
      const store = await open(log.events);
      const cases: Array<[string, string, string[]]> = [
        ["a", "bc", ["q1"]],
        ["ab", "c", ["q2"]],
        ["a:b", "c", ["q1"]],
        ["a", "b:c", ["q2"]],
        ["1:a", "bc", ["q3"]],
        [" a", "bc", ["q3"]],
        ["a", "b", []],
        ["1", "a", []],
        ["Crème brûlée", "100% / 🍮", ["q1"]],
        ["crème brûlée", "100%/🍮", ["q2"]],
        ["Crème brûlée", "100%/🍮", []],
      ];
      for (const [name, value, want] of cases) {
        expect(await facetIds(store, name, value), `${name} = ${value}`).toEqual(want);
      }
      expect(found(await readsOf(store).attributeValues({ name: "a" })).values).toEqual([
        { value: "b:c", count: 1 },
        { value: "bc", count: 1 },
      ]);
    });

    it("holds the same digest as a store rebuilt from the whole log", async () => {
      const { log } = facetCatalog();
      const store = await open(log.events);
      await store.apply([
        log.update("p1", { attributes: { color: "blue" } }),
        log.archive("p3"),
        log.update("p4", { name: "Zebra lamp" }),
      ]);
      const rebuilt = await open(log.events);
      expect((await store.digest()).digest).toBe((await rebuilt.digest()).digest);
      const before = (await store.digest()).digest;
      await store.apply([log.update("p5", { attributes: { color: "green" } })]);
      expect((await store.digest()).digest).not.toBe(before);
    });
  });
}

/**
 * The attribute values section of `testViewStore`.
 *
 * @example
 * attributeValuesContract(storeOpener(factory));
 */
export function attributeValuesContract(open: OpenStore): void {
  describe("attribute values", () => {
    it("counts the active products per value, values in code-point order", async () => {
      const { log } = facetCatalog();
      const store = await open(log.events);
      expect(found(await readsOf(store).attributeValues({ name: "color" }))).toEqual({
        name: "color",
        values: [
          { value: "blue", count: 1 },
          { value: "red", count: 4 },
        ],
      });
      expect(found(await readsOf(store).attributeValues({ name: "size" })).values).toEqual([
        { value: "3", count: 3 },
        { value: "3.5", count: 1 },
      ]);
      expect(found(await readsOf(store).attributeValues({ name: "nope" }))).toEqual({
        name: "nope",
        values: [],
      });
      await store.apply([log.update("p2", { attributes: { color: "red" } }), log.archive("p5")]);
      expect(found(await readsOf(store).attributeValues({ name: "color" })).values).toEqual([
        { value: "red", count: 4 },
      ]);
      await store.apply([log.update("p3", { attributes: { color: "Äpfel", c: "x" } })]);
      expect(found(await readsOf(store).attributeValues({ name: "color" })).values).toEqual([
        { value: "red", count: 3 },
        { value: "Äpfel", count: 1 },
      ]);
    });
  });
}
