import { describe, it } from "vitest";
import { view } from "../../testing/viewSpecification.ts";
import { categoryStats } from "../../views/models/categoryStats/categoryStats.ts";
import { navigation } from "../../views/models/navigation/navigation.ts";
import type {
  CategoryRef,
  CategoryStats,
  NavigationNode,
  PriceStats,
} from "../../views/readModels.ts";
import { catalog, desks, home, ids, lamps, spec } from "./catalog.ts";

// Category stats (`/v1/categories/:slug/stats`: active products directly in
// the category, in stock, price per currency) and navigation (`/v1/categories`:
// the tree with direct and subtree counts) for each event type. A stats or
// node `version` is its category's; events after the catalog get seq 8, 9, …

const eur = (count: number, min: number, max: number, avg: number): PriceStats => ({
  currency: "EUR",
  count,
  min,
  max,
  avg,
});
const stats = (
  category: CategoryRef,
  version: number,
  productCount: number,
  inStockCount: number,
  prices: PriceStats[],
) =>
  view(categoryStats, { slug: category.slug }, {
    category,
    productCount,
    inStockCount,
    prices,
    version,
  } satisfies CategoryStats);
const node = (
  category: CategoryRef,
  version: number,
  productCount: number,
  totalProductCount: number,
  children: NavigationNode[] = [],
): NavigationNode => ({ ...category, productCount, totalProductCount, version, children });
const tree = (...roots: NavigationNode[]) => view(navigation, {}, roots);

/** The catalog's own stats and tree, for what an event leaves alone. */
const lampsStats = stats(lamps, 2, 2, 2, [eur(2, 2500, 9900, 6200)]);
const desksStats = stats(desks, 3, 1, 1, [eur(1, 30000, 30000, 30000)]);
const homeStats = stats(home, 1, 0, 0, []);
const catalogTree = tree(node(home, 1, 0, 3, [node(desks, 3, 1, 1), node(lamps, 2, 2, 2)]));

describe("category stats and navigation", () => {
  it("category.created: zero stats, a node in the tree (siblings by slug)", () => {
    const log = catalog();
    return spec
      .given([])
      .when(...log.events.slice(0, 3))
      .then(
        stats(home, 1, 0, 0, []),
        stats(lamps, 2, 0, 0, []),
        tree(node(home, 1, 0, 0, [node(desks, 3, 0, 0), node(lamps, 2, 0, 0)])),
      );
  });

  it("product.created: active products count where they are and above; drafts do not", () => {
    const log = catalog();
    return spec
      .given(log.events.slice(0, 3))
      .when(...log.events.slice(3))
      .then(lampsStats, desksStats, homeStats, catalogTree);
  });

  it("category.created under a category: a child node; the parent's counts unchanged", () => {
    const log = catalog();
    const given = [...log.events];
    log.category("spots", "Spots", ids.lamps);
    const spots = { id: "cat_spots", slug: "spots", name: "Spots" };
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(
        stats(spots, 8, 0, 0, []),
        lampsStats,
        tree(
          node(home, 1, 0, 3, [node(desks, 3, 1, 1), node(lamps, 2, 2, 2, [node(spots, 8, 0, 0)])]),
        ),
      );
  });

  it("category.renamed: the category's stats and node take the name and the version", () => {
    const log = catalog();
    const lights = { ...lamps, name: "Lights" };
    return spec
      .given(log.events)
      .when(log.renameCategory(ids.lamps, "Lights"))
      .then(
        stats(lights, 8, 2, 2, [eur(2, 2500, 9900, 6200)]),
        tree(node(home, 1, 0, 3, [node(desks, 3, 1, 1), node(lights, 8, 2, 2)])),
      );
  });

  it("category.renamed on a parent: its own stats and node; the children's stats name only themselves", () => {
    const log = catalog();
    const house = { ...home, name: "House" };
    return spec
      .given(log.events)
      .when(log.renameCategory(ids.home, "House"))
      .then(
        stats(house, 8, 0, 0, []),
        lampsStats,
        desksStats,
        tree(node(house, 8, 0, 3, [node(desks, 3, 1, 1), node(lamps, 2, 2, 2)])),
      );
  });

  it("product.published: counted, its price in the aggregate (average rounded half up)", () => {
    const log = catalog();
    return (
      spec
        .given(log.events)
        .when(log.publish(ids.wallLamp))
        // (2500 + 9900 + 4000) / 3 = 5466.67
        .then(
          stats(lamps, 2, 3, 3, [eur(3, 2500, 9900, 5467)]),
          tree(node(home, 1, 0, 4, [node(desks, 3, 1, 1), node(lamps, 2, 3, 3)])),
        )
    );
  });

  describe("product.updated with a category", () => {
    it("the old category loses the product, count, stock and price; the new one gains them", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.update(ids.deskLamp, { categoryId: ids.desks }))
        .then(
          stats(lamps, 2, 1, 1, [eur(1, 9900, 9900, 9900)]),
          stats(desks, 3, 2, 2, [eur(2, 2500, 30000, 16250)]),
          homeStats,
          tree(node(home, 1, 0, 3, [node(desks, 3, 2, 2), node(lamps, 2, 1, 1)])),
        );
    });

    it("into a deeper category: subtree counts move along the whole path", () => {
      const log = catalog();
      const given = [...log.events];
      log.category("spots", "Spots", ids.lamps);
      log.update(ids.oakDesk, { categoryId: "cat_spots" });
      const spots = { id: "cat_spots", slug: "spots", name: "Spots" };
      return spec
        .given(given)
        .when(...log.after(given.length))
        .then(
          stats(desks, 3, 0, 0, []),
          stats(spots, 8, 1, 1, [eur(1, 30000, 30000, 30000)]),
          lampsStats,
          tree(
            node(home, 1, 0, 3, [
              node(desks, 3, 0, 0),
              node(lamps, 2, 2, 3, [node(spots, 8, 1, 1)]),
            ]),
          ),
        );
    });
  });

  describe("product.priceChanged", () => {
    const pricesAfter = (amount: number, currency: string, expected: PriceStats[]) => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.price(ids.floorLamp, amount, currency))
        .then(stats(lamps, 2, 2, 2, expected), catalogTree);
    };

    it("a new minimum", () => pricesAfter(1000, "EUR", [eur(2, 1000, 2500, 1750)]));
    it("the maximum moving down to the other product's price", () =>
      pricesAfter(2000, "EUR", [eur(2, 2000, 2500, 2250)]));
    it("an average of .5 rounds up", () => pricesAfter(9901, "EUR", [eur(2, 2500, 9901, 6201)]));
    it("a new currency: one aggregate per currency, by currency", () =>
      pricesAfter(12000, "USD", [
        eur(1, 2500, 2500, 2500),
        { currency: "USD", count: 1, min: 12000, max: 12000, avg: 12000 },
      ]));

    it("the minimum leaving: the next lowest price becomes the minimum", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.price(ids.deskLamp, 12000))
        .then(stats(lamps, 2, 2, 2, [eur(2, 9900, 12000, 10950)]));
    });
  });

  describe("product.stockAdjusted", () => {
    it("to 0: still counted, no longer in stock; the tree unchanged", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2))
        .then(stats(lamps, 2, 2, 1, [eur(2, 2500, 9900, 6200)]), catalogTree);
    });

    it("back from 0: in stock again", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2), log.stock(ids.floorLamp, 3, 3))
        .then(lampsStats);
    });
  });

  describe("product.archived", () => {
    it("no longer counted, in stock or priced, here or above", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.archive(ids.deskLamp))
        .then(
          stats(lamps, 2, 1, 1, [eur(1, 9900, 9900, 9900)]),
          tree(node(home, 1, 0, 2, [node(desks, 3, 1, 1), node(lamps, 2, 1, 1)])),
        );
    });

    it("out of stock when archived: the in-stock count was already down", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2), log.archive(ids.floorLamp))
        .then(stats(lamps, 2, 1, 1, [eur(1, 2500, 2500, 2500)]));
    });

    it("a draft archived, or an archived product priced: nothing changes", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.archive(ids.wallLamp), log.price(ids.wallLamp, 1), log.stock(ids.wallLamp, 0, -5))
        .then(lampsStats, catalogTree);
    });

    it("published again: counted again", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.archive(ids.deskLamp), log.publish(ids.deskLamp))
        .then(lampsStats, catalogTree);
    });
  });

  it("product.deleted: an active product leaves the counts; a draft or archived one changes nothing", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(
        log.delete(ids.oakDesk),
        log.delete(ids.wallLamp),
        log.archive(ids.floorLamp),
        log.delete(ids.floorLamp),
      )
      .then(
        stats(desks, 3, 0, 0, []),
        stats(lamps, 2, 1, 1, [eur(1, 2500, 2500, 2500)]),
        tree(node(home, 1, 0, 1, [node(desks, 3, 0, 0), node(lamps, 2, 1, 1)])),
      );
  });
});
