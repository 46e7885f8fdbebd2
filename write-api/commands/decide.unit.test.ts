import { describe, expect, it } from "vitest";
import type { Command } from "../../shared/commands/schemas.ts";
import type { Product } from "../../shared/domain/catalog.ts";
import { decide } from "./decide.ts";

const ids = { category: () => "cat_new", product: () => "prd_new" };
const product = (over: Partial<Product> = {}): Product => ({
  id: "prd_1",
  sku: "S1",
  slug: "shoe",
  name: "Shoe",
  description: "",
  categoryId: "cat_1",
  price: { amount: 100, currency: "EUR" },
  status: "draft",
  attributes: {},
  stock: 3,
  createdSeq: 1,
  version: 7,
  ...over,
});
const codeOf = (command: Command, state: Parameters<typeof decide>[1]) => {
  try {
    decide(command, state, ids);
    return "ok";
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe("decide", () => {
  it.each([
    ["draft", "product.publish", "ok"],
    ["archived", "product.publish", "ok"],
    ["active", "product.publish", "illegal_transition"],
    ["draft", "product.archive", "ok"],
    ["active", "product.archive", "ok"],
    ["archived", "product.archive", "illegal_transition"],
    ["archived", "product.delete", "ok"],
  ] as const)("a %s product on %s → %s", (status, type, expected) => {
    expect(codeOf({ type, id: "prd_1" }, { product: product({ status }) })).toBe(expected);
  });

  it("records the stock level after an adjustment and refuses going below zero", () => {
    const { events } = decide(
      { type: "product.adjustStock", id: "prd_1", delta: -3 },
      { product: product() },
      ids,
    );
    expect(events).toEqual([
      {
        type: "product.stockAdjusted",
        aggregateId: "prd_1",
        data: { id: "prd_1", previousStock: 3, stock: 0 },
      },
    ]);
    expect(
      codeOf({ type: "product.adjustStock", id: "prd_1", delta: -4 }, { product: product() }),
    ).toBe("insufficient_stock");
  });

  it("checks expectedVersion against the aggregate's own version", () => {
    const change = (expectedVersion: number): Command => ({
      type: "product.changePrice",
      id: "prd_1",
      price: { amount: 1, currency: "EUR" },
      expectedVersion,
    });
    expect(codeOf(change(7), { product: product() })).toBe("ok");
    expect(codeOf(change(6), { product: product() })).toBe("version_conflict");
  });

  it("puts only the given fields into product.updated and resolves the category", () => {
    const category = { id: "cat_2", slug: "boots", name: "Boots", parentId: null, version: 2 };
    const { events } = decide(
      { type: "product.update", id: "prd_1", name: "Boot", categorySlug: "boots" },
      { product: product(), category },
      ids,
    );
    expect(events[0]?.data).toEqual({ id: "prd_1", name: "Boot", categoryId: "cat_2" });
  });

  it("creates drafts unless told otherwise, with a fresh id", () => {
    const category = { id: "cat_1", slug: "shoes", name: "Shoes", parentId: null, version: 1 };
    const create: Command = {
      type: "product.create",
      sku: "S2",
      slug: "s2",
      name: "S2",
      description: "",
      categorySlug: "shoes",
      price: { amount: 5, currency: "EUR" },
      stock: 0,
    };
    const decision = decide(create, { category, skuTaken: false, slugTaken: false }, ids);
    expect(decision.id).toBe("prd_new");
    expect(decision.events[0]).toMatchObject({
      type: "product.created",
      data: { status: "draft", attributes: {} },
    });
    expect(codeOf(create, { category, skuTaken: true })).toBe("duplicate");
    expect(codeOf(create, { category: null })).toBe("unknown_reference");
  });

  it("refuses a rename to the same name", () => {
    const category = { id: "cat_1", slug: "shoes", name: "Shoes", parentId: null, version: 1 };
    expect(codeOf({ type: "category.rename", id: "cat_1", name: "Shoes" }, { category })).toBe(
      "conflict",
    );
    expect(codeOf({ type: "category.rename", id: "cat_9", name: "X" }, { category: null })).toBe(
      "not_found",
    );
  });
});
