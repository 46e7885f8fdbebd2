import { describe, it } from "vitest";
import type { ProductStatus } from "../../shared/domain/catalog.ts";
import { conflict, lamp, spec } from "./decisionFixtures.ts";

// Price, stock and lifecycle commands: each accepted decision with its events
// written out by hand, and each refusal with its code.

const id = "prd_lamp";

describe("product.changePrice", () => {
  const change = {
    type: "product.changePrice",
    id,
    price: { amount: 1999, currency: "EUR" },
  } as const;
  const changed = [
    {
      type: "product.priceChanged",
      aggregateId: id,
      data: { id, price: { amount: 1999, currency: "EUR" } },
    },
  ] as const;

  it("records the new price, with or without the right expectedVersion", () => {
    spec
      .given({ product: lamp() })
      .when(change)
      .then([...changed]);
    spec
      .given({ product: lamp() })
      .when({ ...change, expectedVersion: 7 })
      .then([...changed]);
  });

  it("records a change of currency as it is", () =>
    spec
      .given({ product: lamp() })
      .when({ ...change, price: { amount: 2900, currency: "USD" } })
      .then([
        {
          type: "product.priceChanged",
          aggregateId: id,
          data: { id, price: { amount: 2900, currency: "USD" } },
        },
      ]));

  it("refuses an unknown product and a stale version", () => {
    spec.given({ product: null }).when(change).thenThrows("not_found");
    spec
      .given({ product: lamp() })
      .when({ ...change, expectedVersion: 6 })
      .thenThrows("version_conflict", conflict);
  });
});

describe("product.adjustStock", () => {
  const adjust = (delta: number) => ({ type: "product.adjustStock", id, delta }) as const;
  const adjusted = (previousStock: number, stock: number) => [
    { type: "product.stockAdjusted" as const, aggregateId: id, data: { id, previousStock, stock } },
  ];

  it("records both levels, the one before and the one after", () =>
    spec
      .given({ product: lamp("active", 3) })
      .when(adjust(4))
      .then(adjusted(3, 7)));

  it("sells out to exactly 0", () =>
    spec
      .given({ product: lamp("active", 3) })
      .when(adjust(-3))
      .then(adjusted(3, 0)));

  it("restocks a draft or an archived product too", () => {
    spec
      .given({ product: lamp("draft", 0) })
      .when(adjust(2))
      .then(adjusted(0, 2));
    spec
      .given({ product: lamp("archived", 0) })
      .when(adjust(2))
      .then(adjusted(0, 2));
  });

  it("refuses to go below 0", () =>
    spec
      .given({ product: lamp("active", 3) })
      .when(adjust(-4))
      .thenThrows("insufficient_stock", { stock: 3, delta: -4 }));

  it("refuses an unknown product and a stale version", () => {
    spec.given({ product: null }).when(adjust(1)).thenThrows("not_found");
    spec
      .given({ product: lamp() })
      .when({ ...adjust(1), expectedVersion: 6 })
      .thenThrows("version_conflict", conflict);
  });
});

describe("product.publish, product.archive, product.delete", () => {
  const event = (type: "product.published" | "product.archived" | "product.deleted") => [
    { type, aggregateId: id, data: { id } },
  ];

  const recordedBy = {
    "product.publish": "product.published",
    "product.archive": "product.archived",
    "product.delete": "product.deleted",
  } as const;

  it.each([
    ["draft", "product.publish", "product.published"],
    ["archived", "product.publish", "product.published"],
    ["draft", "product.archive", "product.archived"],
    ["active", "product.archive", "product.archived"],
    ["draft", "product.delete", "product.deleted"],
    ["active", "product.delete", "product.deleted"],
    ["archived", "product.delete", "product.deleted"],
  ] as const)("a %s product on %s → %s", (status, type, recorded) =>
    spec
      .given({ product: lamp(status) })
      .when({ type, id })
      .then(event(recorded)),
  );

  it.each([
    ["active", "product.publish"],
    ["archived", "product.archive"],
  ] as const)("refuses a no-op: a %s product on %s", (status: ProductStatus, type) =>
    spec
      .given({ product: lamp(status) })
      .when({ type, id })
      .thenThrows("illegal_transition", { status }),
  );

  it.each(["product.publish", "product.archive", "product.delete"] as const)(
    "%s refuses an unknown product and a stale version, before the transition",
    (type) => {
      spec.given({ product: null }).when({ type, id }).thenThrows("not_found");
      // "active" cannot be published, yet the stale version is what is reported
      spec
        .given({ product: lamp(type === "product.archive" ? "archived" : "active") })
        .when({ type, id, expectedVersion: 6 })
        .thenThrows("version_conflict", conflict);
      spec
        .given({ product: lamp("draft") })
        .when({ type, id, expectedVersion: 7 })
        .then(event(recordedBy[type]));
    },
  );
});
