import { describe, it } from "vitest";
import { view } from "../../testing/viewSpecification.ts";
import { attributeValues } from "../../views/models/attributeValues/attributeValues.ts";
import { productsByAttribute } from "../../views/models/productsByAttribute/productsByAttribute.ts";
import type { AttributeValueCount, ProductSummary } from "../../views/readModels.ts";
import { catalog, deskLamp, floorLamp, ids, oakDesk, page, spec, wallLamp } from "./catalog.ts";

// The facets for each event type: `/v1/attributes/:name/:value/products`
// (active products with that value, by name) and `/v1/attributes/:name` (each
// value with its count of active products, by value). The catalog: desk-lamp
// color black, floor-lamp color white, oak-desk material oak, wall-lamp (a
// draft) color black. Events after it get seq 8, 9, …

const withValue = (name: string, value: string, ...items: ProductSummary[]) =>
  view(productsByAttribute, { name, value }, page(...items));
const values = (name: string, ...counts: Array<[value: string, count: number]>) =>
  view(
    attributeValues,
    { name },
    {
      name,
      values: counts.map(([value, count]): AttributeValueCount => ({ value, count })),
    },
  );

describe("facets", () => {
  it("product.created: active products by value, counted; drafts not at all", () => {
    const log = catalog();
    return spec
      .given(log.events.slice(0, 3))
      .when(...log.events.slice(3))
      .then(
        withValue("color", "black", deskLamp),
        withValue("color", "white", floorLamp),
        withValue("material", "oak", oakDesk),
        withValue("color", "oak"),
        values("color", ["black", 1], ["white", 1]),
        values("material", ["oak", 1]),
        values("size"),
      );
  });

  it("product.published: found by its values and counted", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.publish(ids.wallLamp))
      .then(
        withValue("color", "black", deskLamp, { ...wallLamp, version: 8 }),
        values("color", ["black", 2], ["white", 1]),
      );
  });

  it("product.updated with attributes: out of the old values, into the new; numbers and booleans as text", () => {
    const log = catalog();
    const updated = { ...deskLamp, version: 8 };
    return spec
      .given(log.events)
      .when(log.update(ids.deskLamp, { attributes: { color: "white", watts: 40, dimmable: true } }))
      .then(
        withValue("color", "black"),
        withValue("color", "white", updated, floorLamp),
        withValue("watts", "40", updated),
        withValue("dimmable", "true", updated),
        // a value no active product has any more is not listed with a count of 0
        values("color", ["white", 2]),
        values("watts", ["40", 1]),
      );
  });

  it("product.updated to no attributes: out of every facet", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.update(ids.oakDesk, { attributes: {} }))
      .then(withValue("material", "oak"), values("material"));
  });

  it("product.updated with a name: the facet page's name order follows", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.publish(ids.wallLamp), log.update(ids.deskLamp, { name: "Zen Lamp" }))
      .then(
        withValue(
          "color",
          "black",
          { ...wallLamp, version: 8 },
          { ...deskLamp, name: "Zen Lamp", version: 9 },
        ),
      );
  });

  it("product.updated with a category: same facets, the new version", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.update(ids.floorLamp, { categoryId: ids.desks }))
      .then(
        withValue("color", "white", { ...floorLamp, version: 8 }),
        values("color", ["black", 1], ["white", 1]),
      );
  });

  it("product.priceChanged and product.stockAdjusted: the facet page shows the new price and status", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.price(ids.floorLamp, 5000), log.stock(ids.floorLamp, 0, -2))
      .then(
        withValue("color", "white", {
          ...floorLamp,
          price: { amount: 5000, currency: "EUR" },
          stockStatus: "out_of_stock",
          version: 9,
        }),
        // the facet counts active products, in stock or not
        values("color", ["black", 1], ["white", 1]),
      );
  });

  it("category.created and category.renamed: no facet changes", () => {
    const log = catalog();
    const given = [...log.events];
    log.category("spots", "Spots", ids.lamps);
    log.renameCategory(ids.lamps, "Lights");
    return spec
      .given(given)
      .when(...log.after(given.length))
      .then(withValue("color", "black", deskLamp), values("color", ["black", 1], ["white", 1]));
  });

  it("product.archived: out of its facets; published again: back", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.archive(ids.deskLamp), log.archive(ids.oakDesk), log.publish(ids.oakDesk))
      .then(
        withValue("color", "black"),
        values("color", ["white", 1]),
        withValue("material", "oak", { ...oakDesk, version: 10 }),
        values("material", ["oak", 1]),
      );
  });

  it("product.deleted: out of its facets", () => {
    const log = catalog();
    return spec
      .given(log.events)
      .when(log.delete(ids.floorLamp), log.delete(ids.wallLamp))
      .then(withValue("color", "white"), values("color", ["black", 1]));
  });
});
