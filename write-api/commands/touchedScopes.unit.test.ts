import { describe, expect, it } from "vitest";
import type { Product } from "../../shared/domain/catalog.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import type { AnyReadModel } from "../../shared/views/models/readModel.ts";
import { readModelList } from "../../shared/views/models/readModelList.ts";
import { createMemoryViewStore } from "../../shared/views/stores/memory/memoryViewStore.ts";
import { touchedScopes } from "./touchedScopes.ts";

/** Every read the models' examples make over a log, planned once. */
const readsOver = (events: StoredEvent[]) =>
  (readModelList as readonly AnyReadModel[]).flatMap((model) =>
    model.examples(events).map((input) => {
      const plan = model.plan(input);
      return {
        model,
        plan,
        scopes: model.scopes(plan),
        label: `${model.name} ${JSON.stringify(input)}`,
      };
    }),
  );

/** The catalog as the write side's tables hold it, enough to name scopes: products and category slugs. */
function catalogOf() {
  const products = new Map<string, Product>();
  const categorySlugs = new Map<string, string>();
  return {
    before: (id: string) => products.get(id) ?? null,
    lookups: { categorySlug: async (id: string) => categorySlugs.get(id) ?? null },
    apply(event: StoredEvent) {
      if (event.type === "category.created") categorySlugs.set(event.data.id, event.data.slug);
      if (event.type === "product.created") {
        products.set(event.aggregateId, {
          ...event.data,
          createdSeq: event.seq,
          version: event.seq,
        });
      }
      const p = products.get(event.aggregateId);
      if (p && event.type === "product.updated" && event.data.categoryId) {
        products.set(p.id, { ...p, categoryId: event.data.categoryId });
      }
    },
  };
}

describe("touchedScopes names every read a write can change", () => {
  // Each event as a write of its own: every example read whose answer it changes
  // must depend on a scope the write names (or the write names none: global).
  for (const seed of [3, 17, 42, 99]) {
    it(`over a random history (seed ${seed})`, async () => {
      const events = generateHistory(160, seed);
      const reads = readsOver(events);
      const store = createMemoryViewStore();
      const catalog = catalogOf();
      let answers = await Promise.all(reads.map((r) => store.read(r.model, r.plan)));
      let named = 0;
      for (const event of events) {
        const before = catalog.before(event.aggregateId);
        catalog.apply(event);
        const scopes = await touchedScopes([event], { product: before }, catalog.lookups);
        await store.apply([event]);
        const next = await Promise.all(reads.map((r) => store.read(r.model, r.plan)));
        if (scopes !== null) {
          named++;
          reads.forEach((r, i) => {
            if (next[i]?.body === answers[i]?.body) return;
            expect(
              r.scopes.some((s) => scopes.includes(s)),
              `${event.type} (seq ${event.seq}) changed ${r.label} but named only ${scopes.join(", ")}`,
            ).toBe(true);
          });
        }
        answers = next;
      }
      // most writes must be named, or the test proves nothing
      expect(named).toBeGreaterThan(events.length / 2);
    });
  }

  it("names a product's page, its category, the catalog, search and facets, not other products", async () => {
    const product = {
      id: "prd_1",
      slug: "desk-lamp",
      categoryId: "cat_1",
    } as Product;
    const lookups = {
      categorySlug: async (id: string) => ({ cat_1: "lamps", cat_2: "desks" })[id] ?? null,
    };
    expect(
      await touchedScopes(
        [
          {
            type: "product.priceChanged",
            aggregateId: "prd_1",
            data: { id: "prd_1", price: { amount: 1, currency: "EUR" } },
          },
        ],
        { product },
        lookups,
      ),
    ).toEqual(["p:desk-lamp", "all", "search", "facets", "c:lamps"]);
    expect(
      await touchedScopes(
        [
          {
            type: "product.updated",
            aggregateId: "prd_1",
            data: { id: "prd_1", categoryId: "cat_2" },
          },
        ],
        { product },
        lookups,
      ),
    ).toEqual(["p:desk-lamp", "all", "search", "facets", "c:lamps", "nav", "c:desks"]);
  });

  it("names nothing it cannot bound: a renamed category is on every page below it", async () => {
    const lookups = { categorySlug: async () => "lamps" };
    expect(
      await touchedScopes(
        [{ type: "category.renamed", aggregateId: "cat_1", data: { id: "cat_1", name: "Lights" } }],
        {},
        lookups,
      ),
    ).toBeNull();
  });
});
