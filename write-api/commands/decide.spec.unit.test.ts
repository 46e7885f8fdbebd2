import { describe, it } from "vitest";
import type { Category } from "../../shared/domain/catalog.ts";
import { conflict, home, lamp, lamps, spec } from "./decisionFixtures.ts";

// Every command's accepted decision and every refusal, with the events written
// out by hand: what the write side records is the contract every view folds.
// Product price, stock and lifecycle commands: decideProduct.spec.unit.test.ts.

describe("category.create", () => {
  it("creates a root category with a fresh id", () =>
    spec
      .given({ slugTaken: false })
      .when({ type: "category.create", slug: "home", name: "Home" })
      .then([
        {
          type: "category.created",
          aggregateId: "cat_new",
          data: { id: "cat_new", slug: "home", name: "Home", parentId: null },
        },
      ]));

  it("creates a child under the category its parentSlug names", () =>
    spec
      .given({ slugTaken: false, parent: home })
      .when({ type: "category.create", slug: "lamps", name: "Lamps", parentSlug: "home" })
      .then([
        {
          type: "category.created",
          aggregateId: "cat_new",
          data: { id: "cat_new", slug: "lamps", name: "Lamps", parentId: "cat_home" },
        },
      ]));

  it("refuses a taken slug, before looking at the parent", () =>
    spec
      .given({ slugTaken: true, parent: null })
      .when({ type: "category.create", slug: "home", name: "Home", parentSlug: "nowhere" })
      .thenThrows("duplicate"));

  it("refuses an unknown parent", () =>
    spec
      .given({ slugTaken: false, parent: null })
      .when({ type: "category.create", slug: "lamps", name: "Lamps", parentSlug: "nowhere" })
      .thenThrows("unknown_reference", [{ path: "parentSlug", message: "unknown category" }]));
});

describe("category.rename", () => {
  const rename = { type: "category.rename", id: "cat_lamps", name: "Lights" } as const;
  it("renames, with or without the right expectedVersion", () => {
    const renamed = [
      {
        type: "category.renamed",
        aggregateId: "cat_lamps",
        data: { id: "cat_lamps", name: "Lights" },
      },
    ] as const;
    spec
      .given({ category: lamps })
      .when(rename)
      .then([...renamed]);
    spec
      .given({ category: lamps })
      .when({ ...rename, expectedVersion: 4 })
      .then([...renamed]);
  });

  it("refuses an unknown category", () =>
    spec.given({ category: null }).when(rename).thenThrows("not_found"));

  it("refuses a stale expectedVersion", () =>
    spec
      .given({ category: lamps })
      .when({ ...rename, expectedVersion: 3 })
      .thenThrows("version_conflict", { expectedVersion: 3, actualVersion: 4 }));

  it("refuses a rename to the name it already has", () =>
    spec
      .given({ category: lamps })
      .when({ ...rename, name: "Lamps" })
      .thenThrows("conflict"));
});

describe("product.create", () => {
  const create = {
    type: "product.create",
    sku: "LAMP-2",
    slug: "floor-lamp",
    name: "Floor lamp",
    description: "Tall",
    categorySlug: "lamps",
    price: { amount: 9900, currency: "EUR" },
    stock: 0,
  } as const;
  const created = {
    id: "prd_new",
    sku: "LAMP-2",
    slug: "floor-lamp",
    name: "Floor lamp",
    description: "Tall",
    categoryId: "cat_lamps",
    price: { amount: 9900, currency: "EUR" },
    stock: 0,
  };
  const free = { category: lamps, skuTaken: false, slugTaken: false };

  it("creates a draft without attributes unless told otherwise", () =>
    spec
      .given(free)
      .when(create)
      .then([
        {
          type: "product.created",
          aggregateId: "prd_new",
          data: { ...created, status: "draft", attributes: {} },
        },
      ]));

  it("creates an active product with its attributes", () =>
    spec
      .given(free)
      .when({ ...create, status: "active", attributes: { color: "black", watts: 40, dim: true } })
      .then([
        {
          type: "product.created",
          aggregateId: "prd_new",
          data: {
            ...created,
            status: "active",
            attributes: { color: "black", watts: 40, dim: true },
          },
        },
      ]));

  it("refuses a taken sku or slug as a duplicate, and an unknown category", () => {
    spec
      .given({ category: null, skuTaken: true, slugTaken: true })
      .when(create)
      .thenThrows("duplicate");
    spec.given({ category: null, slugTaken: true }).when(create).thenThrows("duplicate");
    spec
      .given({ category: null })
      .when(create)
      .thenThrows("unknown_reference", [{ path: "categorySlug", message: "unknown category" }]);
  });
});

describe("product.update", () => {
  const desks: Category = { ...lamps, id: "cat_desks", slug: "desks", name: "Desks" };

  it("records only the fields given", () =>
    spec
      .given({ product: lamp() })
      .when({ type: "product.update", id: "prd_lamp", description: "Brushed brass" })
      .then([
        {
          type: "product.updated",
          aggregateId: "prd_lamp",
          data: { id: "prd_lamp", description: "Brushed brass" },
        },
      ]));

  it("moves to the category its slug names, with every other field at once", () =>
    spec
      .given({ product: lamp(), category: desks })
      .when({
        type: "product.update",
        id: "prd_lamp",
        name: "Desk light",
        description: "",
        categorySlug: "desks",
        attributes: {},
        expectedVersion: 7,
      })
      .then([
        {
          type: "product.updated",
          aggregateId: "prd_lamp",
          data: {
            id: "prd_lamp",
            name: "Desk light",
            description: "",
            categoryId: "cat_desks",
            attributes: {},
          },
        },
      ]));

  it("updates an archived product too", () =>
    spec
      .given({ product: lamp("archived") })
      .when({ type: "product.update", id: "prd_lamp", name: "Old lamp" })
      .then([
        {
          type: "product.updated",
          aggregateId: "prd_lamp",
          data: { id: "prd_lamp", name: "Old lamp" },
        },
      ]));

  it("refuses an unknown product, a stale version and an unknown category", () => {
    const update = { type: "product.update", id: "prd_lamp", name: "X" } as const;
    spec.given({ product: null }).when(update).thenThrows("not_found");
    spec
      .given({ product: lamp() })
      .when({ ...update, expectedVersion: 6 })
      .thenThrows("version_conflict", conflict);
    spec
      .given({ product: lamp(), category: null })
      .when({ ...update, categorySlug: "nowhere" })
      .thenThrows("unknown_reference", [{ path: "categorySlug", message: "unknown category" }]);
  });
});
