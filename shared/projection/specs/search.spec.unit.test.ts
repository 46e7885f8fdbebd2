import { describe, it } from "vitest";
import { view } from "../../testing/viewSpecification.ts";
import { search } from "../../views/models/search/search.ts";
import type { ProductSummary } from "../../views/readModels.ts";
import { catalog, deskLamp, floorLamp, ids, oakDesk, page, spec, wallLamp } from "./catalog.ts";

// Search (`/v1/search?q=`) for each event type: active products holding every
// query word; a name word weighs 2, a description word 1; higher score first,
// then id. The catalog's words: desk-lamp "desk lamp" + "brass arm",
// floor-lamp "floor lamp" + "tall", oak-desk "oak desk" + "solid oak" (oak 3),
// wall-lamp (a draft) "wall lamp" + "brass". Events after it get seq 8, 9, …

const hits = (q: string, ...found: Array<[ProductSummary, number]>) =>
  view(search, { q }, page(...found.map(([summary, score]) => ({ ...summary, score }))));

describe("search", () => {
  it("product.created: active products by their words, drafts not at all", () => {
    const log = catalog();
    return spec
      .given(log.events.slice(0, 3))
      .when(...log.events.slice(3))
      .then(
        hits("lamp", [deskLamp, 2], [floorLamp, 2]),
        hits("desk", [deskLamp, 2], [oakDesk, 2]),
        hits("oak", [oakDesk, 3]),
        hits("desk lamp", [deskLamp, 4]),
        hits("brass", [deskLamp, 1]),
        hits("wall"),
        hits("chair"),
      );
  });

  it("product.published: found by its words", () => {
    const log = catalog();
    const wall = { ...wallLamp, version: 8 };
    return spec
      .given(log.events)
      .when(log.publish(ids.wallLamp))
      .then(hits("brass", [deskLamp, 1], [wall, 1]), hits("wall", [wall, 2]));
  });

  it("product.updated with a name: found by the new words only", () => {
    const log = catalog();
    const reading = { ...deskLamp, name: "Reading Light", version: 8 };
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { name: "Reading Light" }))
      .then(
        hits("lamp", [floorLamp, 2]),
        hits("desk", [oakDesk, 2]),
        hits("reading light", [reading, 4]),
        hits("brass", [reading, 1]),
      );
  });

  it("product.updated with a description: its words, weighed with the name's", () => {
    const log = catalog();
    const copper = { ...deskLamp, version: 8 };
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { description: "Copper lamp" }))
      .then(hits("brass"), hits("lamp", [copper, 3], [floorLamp, 2]));
  });

  it("product.updated with a category or attributes: same hits, the new version", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(
        log.update(ids.deskLamp, { categoryId: ids.desks }),
        log.update(ids.floorLamp, { attributes: {} }),
      )
      .then(hits("lamp", [{ ...deskLamp, version: 8 }, 2], [{ ...floorLamp, version: 9 }, 2]));
  });

  it("product.priceChanged and product.stockAdjusted: the hit shows the new price and stock status", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.price(ids.deskLamp, 1999), log.stock(ids.floorLamp, 0, -2))
      .then(
        hits(
          "lamp",
          [{ ...deskLamp, price: { amount: 1999, currency: "EUR" }, version: 8 }, 2],
          [{ ...floorLamp, stockStatus: "out_of_stock", version: 9 }, 2],
        ),
      );
  });

  it("category.created and category.renamed: no hit changes", () => {
    const log = catalog();
    const given = [...log.events];
    log.category("spots", "Spots", ids.lamps);
    log.renameCategory(ids.lamps, "Desk and floor lamps");
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(hits("lamp", [deskLamp, 2], [floorLamp, 2]), hits("floor", [floorLamp, 2]));
  });

  it("product.archived: not found; published again: found", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.archive(ids.deskLamp), log.archive(ids.oakDesk), log.publish(ids.oakDesk))
      .then(hits("lamp", [floorLamp, 2]), hits("desk", [{ ...oakDesk, version: 10 }, 2]));
  });

  it("product.deleted: not found", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.delete(ids.floorLamp))
      .then(hits("lamp", [deskLamp, 2]), hits("tall"));
  });
});
