import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/events/types.ts";
import { foldEntities } from "../../shared/projection/fold.ts";
import { historyArbitrary } from "../../shared/testing/randomHistory.ts";
import { openPrimary, type Primary } from "../db/openPrimary.ts";
import { applyToTables } from "./applyToTables.ts";
import { loadCategory, loadProduct } from "./loadDecisionState.ts";

// The normalized tables (what commands decide on) and the views (what reads
// answer) fold the same events by two pieces of code: `applyToTables` in SQL
// and the projection's `foldEntities`. On every history the write side can
// produce, they must hold the same categories and products.

let dir: string;
let primary: Primary;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-cqrs-fold-"));
  primary = await openPrimary({ url: `file:${join(dir, "primary.db")}`, synchronous: "OFF" });
});
afterAll(() => {
  primary.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Folds `events` into empty tables and answers what they hold, then leaves them empty again. */
const tablesAfter = (events: readonly StoredEvent[]) =>
  primary.write(async (tx) => {
    await tx.run("DELETE FROM products");
    await tx.run("DELETE FROM categories");
    for (const event of events) await applyToTables(tx, event);
    const ids = async (table: string) =>
      (await tx.all<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
    const categories = await Promise.all(
      (await ids("categories")).map((id) => loadCategory(tx, id)),
    );
    const products = await Promise.all((await ids("products")).map((id) => loadProduct(tx, id)));
    await tx.run("DELETE FROM products");
    await tx.run("DELETE FROM categories");
    return { categories, products };
  });

const byId = <T extends { id: string }>(items: Iterable<T | null>): T[] =>
  [...items].filter((x): x is T => x !== null).sort((a, b) => (a.id < b.id ? -1 : 1));

describe("the normalized tables and the projection", () => {
  it("hold the same categories and products after any legal history", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary({ maxEvents: 120 }), async (events) => {
        const tables = await tablesAfter(events);
        const fold = foldEntities(new Map(), new Map(), events);
        expect(tables.categories).toEqual(byId(fold.categories.values()));
        expect(tables.products).toEqual(byId(fold.products.values()));
      }),
      { numRuns: 150 },
    );
  });
});
