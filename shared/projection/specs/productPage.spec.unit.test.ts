import { describe, it } from "vitest";
import { view } from "../../testing/viewSpecification.ts";
import { productPage } from "../../views/models/productPage/productPage.ts";
import type { ProductPage } from "../../views/readModels.ts";
import {
  catalog,
  deskLampPage,
  desks,
  floorLampPage,
  home,
  ids,
  lamps,
  oakDeskPage,
  spec,
  wallLampPage,
} from "./catalog.ts";

// The product page for each event type: what `GET /v1/products/:slug` answers
// after it. Events after the catalog get seq 8, 9, … : the versions below.

const pageOf = (slug: string, data: ProductPage | null) => view(productPage, { slug }, data);

describe("product page", () => {
  it("product.created: an active product's page, joined with its category and path; a draft has none", () => {
    const log = catalog();
    return spec
      .given(log.events.slice(0, 3))
      .when(...log.events.slice(3))
      .then(
        pageOf("desk-lamp", deskLampPage),
        pageOf("floor-lamp", floorLampPage),
        pageOf("oak-desk", oakDeskPage),
        pageOf("wall-lamp", null),
      );
  });

  it("product.published: a draft gets its page", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.publish(ids.wallLamp))
      .then(pageOf("wall-lamp", { ...wallLampPage, version: 8 }));
  });

  it("product.updated: name, description and attributes as given, the rest kept", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(
        log.update(ids.deskLamp, { name: "Desk Light" }),
        log.update(ids.deskLamp, {
          description: "Brushed",
          attributes: { color: "red", watts: 40 },
        }),
      )
      .then(
        pageOf("desk-lamp", {
          ...deskLampPage,
          name: "Desk Light",
          description: "Brushed",
          attributes: { color: "red", watts: 40 },
          version: 9,
        }),
      );
  });

  it("product.updated with a category: the page shows the new category and its path", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { categoryId: ids.desks }))
      .then(
        pageOf("desk-lamp", {
          ...deskLampPage,
          category: { ...desks, path: [home, desks] },
          version: 8,
        }),
      );
  });

  it("category.renamed: every page in the category shows the new name; the product's version stays", () => {
    const log = catalog();
    const lights = { ...lamps, name: "Lights" };
    return spec
      .given(log.events)
      .when(log.renameCategory(ids.lamps, "Lights"))
      .then(
        pageOf("desk-lamp", { ...deskLampPage, category: { ...lights, path: [home, lights] } }),
        pageOf("floor-lamp", { ...floorLampPage, category: { ...lights, path: [home, lights] } }),
        pageOf("oak-desk", oakDeskPage),
      );
  });

  it("category.renamed on a parent: the path of every page below it, archived ones too, and later ones", () => {
    const log = catalog();
    const house = { ...home, name: "House" };
    return spec
      .given(log.events)
      .when(
        log.archive(ids.floorLamp),
        log.renameCategory(ids.home, "House"),
        log.publish(ids.wallLamp),
      )
      .then(
        pageOf("desk-lamp", { ...deskLampPage, category: { ...lamps, path: [house, lamps] } }),
        pageOf("floor-lamp", {
          ...floorLampPage,
          status: "archived",
          category: { ...lamps, path: [house, lamps] },
          version: 8,
        }),
        pageOf("oak-desk", { ...oakDeskPage, category: { ...desks, path: [house, desks] } }),
        pageOf("wall-lamp", {
          ...wallLampPage,
          category: { ...lamps, path: [house, lamps] },
          version: 10,
        }),
      );
  });

  it("category.created: no page changes", () => {
    const log = catalog();
    const given = [...log.events];
    log.category("spots", "Spots", ids.lamps);
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(pageOf("desk-lamp", deskLampPage), pageOf("spots", null));
  });

  it("product.priceChanged: the new price, currency included", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.price(ids.deskLamp, 1999), log.price(ids.floorLamp, 12000, "USD"))
      .then(
        pageOf("desk-lamp", {
          ...deskLampPage,
          price: { amount: 1999, currency: "EUR" },
          version: 8,
        }),
        pageOf("floor-lamp", {
          ...floorLampPage,
          price: { amount: 12000, currency: "USD" },
          version: 9,
        }),
      );
  });

  describe("product.stockAdjusted: the level and its status", () => {
    it("at 5 or fewer units, low stock", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.deskLamp, 5, -3))
        .then(
          pageOf("desk-lamp", { ...deskLampPage, stock: 5, stockStatus: "low_stock", version: 8 }),
        );
    });

    it("at 0, out of stock, and the page stays", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2))
        .then(
          pageOf("floor-lamp", {
            ...floorLampPage,
            stock: 0,
            stockStatus: "out_of_stock",
            version: 8,
          }),
        );
    });

    it("from 0 to 6, in stock again", () => {
      const log = catalog();
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2), log.stock(ids.floorLamp, 6, 6))
        .then(
          pageOf("floor-lamp", { ...floorLampPage, stock: 6, stockStatus: "in_stock", version: 9 }),
        );
    });
  });

  it("product.archived: the page stays, marked archived, and keeps following its product", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.archive(ids.deskLamp), log.price(ids.deskLamp, 999), log.archive(ids.floorLamp))
      .then(
        pageOf("desk-lamp", {
          ...deskLampPage,
          status: "archived",
          price: { amount: 999, currency: "EUR" },
          version: 9,
        }),
        pageOf("floor-lamp", { ...floorLampPage, status: "archived", version: 10 }),
      );
  });

  it("product.published after an archive: active again", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.archive(ids.deskLamp), log.publish(ids.deskLamp))
      .then(pageOf("desk-lamp", { ...deskLampPage, version: 9 }));
  });

  it("product.deleted: no page, whatever the status was; later events about it change nothing", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(
        log.delete(ids.deskLamp),
        log.archive(ids.floorLamp),
        log.delete(ids.floorLamp),
        log.delete(ids.wallLamp),
        log.price(ids.deskLamp, 1),
        log.publish(ids.wallLamp),
      )
      .then(
        pageOf("desk-lamp", null),
        pageOf("floor-lamp", null),
        pageOf("wall-lamp", null),
        pageOf("oak-desk", oakDeskPage),
      );
  });
});
