import { describe, expect, it } from "vitest";
import type { Product } from "../domain/catalog.ts";
import type { StoredEvent } from "../events/types.ts";
import { EventLog } from "../testing/eventLog.ts";
import { MemoryRecords } from "../views/stores/memory/memoryRecords.ts";
import { attributeEntryOf, attributeValueText } from "./derive.ts";
import { projectBatchSync } from "./project.ts";
import type { RecordChange } from "./records.ts";
import { listingSortKeys } from "./sortKeys.ts";

const product = (over: Partial<Product> = {}): Product => ({
  id: "p1",
  sku: "S1",
  slug: "p1",
  name: "Desk Lamp",
  description: "",
  categoryId: "c1",
  price: { amount: 100, currency: "EUR" },
  status: "active",
  attributes: { size: 3, color: "red", dimmable: false, Ä: "x" },
  stock: 1,
  createdSeq: 1,
  version: 1,
  ...over,
});

describe("the attribute record of a product", () => {
  it("holds the pairs as text, sorted by name, with the listing's name sort key", () => {
    expect(attributeEntryOf(product())).toEqual({
      id: "p1",
      sortKey: listingSortKeys({ id: "p1", name: "Desk Lamp", amount: 100, createdSeq: 1 }).name,
      pairs: [
        ["color", "red"],
        ["dimmable", "false"],
        ["size", "3"],
        ["Ä", "x"],
      ],
    });
    expect([1.5, -0, true, "3"].map(attributeValueText)).toEqual(["1.5", "0", "true", "3"]);
  });

  it("is absent for drafts, archived products, products without attributes and deletions", () => {
    expect(attributeEntryOf(product({ status: "draft" }))).toBeNull();
    expect(attributeEntryOf(product({ status: "archived" }))).toBeNull();
    expect(attributeEntryOf(product({ attributes: {} }))).toBeNull();
    expect(attributeEntryOf(null)).toBeNull();
  });
});

describe("evolve's attribute changes", () => {
  const setUp = () => {
    const log = new EventLog();
    const lamps = log.category("lamps", "Lamps");
    const id = log.product({ slug: "a", name: "A", categoryId: lamps, attributes: { c: "red" } });
    const recs = new MemoryRecords();
    recs.apply(projectBatchSync(log.events, (n) => recs.load(n)));
    const attributeChanges = (batch: StoredEvent[]): RecordChange[] =>
      projectBatchSync(batch, (n) => recs.load(n)).filter((c) =>
        c.op === "upsert" ? c.record.kind === "attribute" : c.kind === "attribute",
      );
    return { log, id, attributeChanges };
  };

  it("leaves the record alone on stock and price changes", () => {
    const { log, id, attributeChanges } = setUp();
    expect(attributeChanges([log.stock(id, 0, -10), log.price(id, 5)])).toEqual([]);
  });

  it("rewrites it on a rename or new attributes, and deletes it on archive or no attributes", () => {
    const { log, id, attributeChanges } = setUp();
    expect(attributeChanges([log.update(id, { name: "B" })])).toMatchObject([
      { op: "upsert", record: { key: id, value: { pairs: [["c", "red"]] } } },
    ]);
    expect(attributeChanges([log.update(id, { attributes: { c: 1 } })])).toMatchObject([
      { op: "upsert", record: { value: { pairs: [["c", "1"]] } } },
    ]);
    expect(attributeChanges([log.archive(id)])).toEqual([
      { op: "delete", kind: "attribute", key: id },
    ]);
    expect(attributeChanges([log.update(id, { attributes: {} })])).toEqual([
      { op: "delete", kind: "attribute", key: id },
    ]);
  });
});
