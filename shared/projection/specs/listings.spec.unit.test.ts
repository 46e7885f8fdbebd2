import { describe, it } from "vitest";
import { view } from "../../testing/viewSpecification.ts";
import { catalogListing } from "../../views/models/catalogListing/catalogListing.ts";
import { categoryListing } from "../../views/models/categoryListing/categoryListing.ts";
import type { ListingSort, ProductSummary } from "../../views/readModels.ts";
import { catalog, deskLamp, floorLamp, ids, oakDesk, page, spec, wallLamp } from "./catalog.ts";

// The category listing (`/v1/categories/:slug/products`) and the catalog
// listing (`/v1/products`) for each event type: active products only, in each
// sort, with and without the in-stock filter. Events after the catalog get
// seq 8, 9, … : the versions below.

const listing = (
  slug: string,
  sort: ListingSort,
  items: ProductSummary[] | null,
  inStock = false,
) => view(categoryListing, { slug, sort, inStock }, items && page(...items));
const everything = (sort: ListingSort, items: ProductSummary[], inStock = false) =>
  view(catalogListing, { sort, inStock }, page(...items));

describe("category and catalog listings", () => {
  it("as created: active products in each order; drafts nowhere; an unknown category is a 404", () => {
    const log = catalog();
    return spec
      .given(log.events.slice(0, 3))
      .when(...log.events.slice(3))
      .then(
        listing("lamps", "newest", [floorLamp, deskLamp]),
        listing("lamps", "price_asc", [deskLamp, floorLamp]),
        listing("lamps", "price_desc", [floorLamp, deskLamp]),
        listing("lamps", "name", [deskLamp, floorLamp]),
        listing("desks", "newest", [oakDesk]),
        // listings are of a category's own products, not of those below it
        listing("home", "newest", []),
        listing("attic", "newest", null),
        everything("newest", [oakDesk, floorLamp, deskLamp]),
        everything("price_desc", [oakDesk, floorLamp, deskLamp]),
      );
  });

  it("category.created: an empty listing under the new slug", () => {
    const log = catalog();
    const given = [...log.events];
    log.category("spots", "Spots", ids.lamps);
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(listing("spots", "newest", []), listing("lamps", "newest", [floorLamp, deskLamp]));
  });

  it("category.renamed: listings unchanged, still under the slug", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.renameCategory(ids.lamps, "Lights"), log.renameCategory(ids.home, "House"))
      .then(
        listing("lamps", "name", [deskLamp, floorLamp]),
        everything("name", [deskLamp, floorLamp, oakDesk]),
      );
  });

  it("product.published: a draft joins both listings, as new as its creation", () => {
    const log = catalog();
    const wall = { ...wallLamp, version: 8 };
    return spec
      .given(log.events)
      .when(log.publish(ids.wallLamp))
      .then(
        listing("lamps", "newest", [wall, floorLamp, deskLamp]),
        listing("lamps", "price_asc", [deskLamp, wall, floorLamp]),
        everything("newest", [wall, oakDesk, floorLamp, deskLamp]),
      );
  });

  it("product.updated with a name: the summary and the name order follow", () => {
    const log = catalog();
    const zen = { ...deskLamp, name: "Zen Lamp", version: 8 };
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { name: "Zen Lamp" }))
      .then(
        listing("lamps", "name", [floorLamp, zen]),
        everything("name", [floorLamp, oakDesk, zen]),
      );
  });

  it("product.updated with a category: out of the old listing, into the new one", () => {
    const log = catalog();
    const moved = { ...deskLamp, version: 8 };
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { categoryId: ids.desks }))
      .then(
        listing("lamps", "price_asc", [floorLamp]),
        listing("lamps", "price_asc", [floorLamp], true),
        listing("desks", "price_asc", [moved, oakDesk]),
        listing("desks", "price_asc", [moved, oakDesk], true),
        everything("price_asc", [moved, floorLamp, oakDesk]),
      );
  });

  it("product.priceChanged: the summary's price and the price orders follow", () => {
    const log = catalog();
    const dear = { ...deskLamp, price: { amount: 12000, currency: "EUR" }, version: 8 };
    return spec
      .given(log.events)
      .when(log.price(ids.deskLamp, 12000))
      .then(
        listing("lamps", "price_asc", [floorLamp, dear]),
        listing("lamps", "price_desc", [dear, floorLamp]),
        everything("price_asc", [floorLamp, dear, oakDesk]),
      );
  });

  describe("product.stockAdjusted", () => {
    it("to 0: listed as out of stock, left out by the in-stock filter", () => {
      const log = catalog();
      const soldOut = { ...floorLamp, stockStatus: "out_of_stock" as const, version: 8 };
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2))
        .then(
          listing("lamps", "newest", [soldOut, deskLamp]),
          listing("lamps", "newest", [deskLamp], true),
          everything("newest", [oakDesk, soldOut, deskLamp]),
          everything("newest", [oakDesk, deskLamp], true),
        );
    });

    it("back from 0: in the in-stock filter again", () => {
      const log = catalog();
      const restocked = { ...floorLamp, stockStatus: "in_stock" as const, version: 9 };
      return spec
        .given(log.events)
        .when(log.stock(ids.floorLamp, 0, -2), log.stock(ids.floorLamp, 12, 12))
        .then(
          listing("lamps", "newest", [restocked, deskLamp], true),
          everything("newest", [oakDesk, restocked, deskLamp], true),
        );
    });

    it("within stock: the status changes, the place does not", () => {
      const log = catalog();
      const low = { ...deskLamp, stockStatus: "low_stock" as const, version: 8 };
      return spec
        .given(log.events)
        .when(log.stock(ids.deskLamp, 1, -7))
        .then(listing("lamps", "price_asc", [low, floorLamp], true));
    });
  });

  it("product.archived: out of every listing; published again: back in", () => {
    const log = catalog();
    const given = [...log.events];
    const archived = [log.archive(ids.deskLamp), log.archive(ids.oakDesk)];
    return Promise.all([
      spec
        .given(given)
        .when(...archived)
        .then(
          listing("lamps", "newest", [floorLamp]),
          listing("desks", "newest", []),
          everything("newest", [floorLamp]),
          everything("newest", [floorLamp], true),
        ),
      spec
        .given(given)
        .when(...archived, log.publish(ids.deskLamp))
        .then(everything("newest", [floorLamp, { ...deskLamp, version: 10 }])),
    ]);
  });

  it("product.deleted: out of every listing", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.delete(ids.floorLamp), log.delete(ids.wallLamp))
      .then(listing("lamps", "newest", [deskLamp]), everything("newest", [oakDesk, deskLamp]));
  });

  it("product.created as a draft, or with stock 0: not listed, or listed out of stock", () => {
    const log = catalog();
    const given = [...log.events];
    log.product({ slug: "spot", name: "Spot", categoryId: ids.lamps, status: "draft" });
    log.product({ slug: "lantern", name: "Lantern", categoryId: ids.lamps, stock: 0 });
    const lantern: ProductSummary = {
      id: "prd_lantern",
      slug: "lantern",
      name: "Lantern",
      price: { amount: 1000, currency: "EUR" },
      stockStatus: "out_of_stock",
      createdSeq: 9,
      version: 9,
    };
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(
        listing("lamps", "newest", [lantern, floorLamp, deskLamp]),
        listing("lamps", "newest", [floorLamp, deskLamp], true),
      );
  });
});
