import { digestRecords } from "../../../digest/index.ts";
import type { StoredEvent } from "../../../events/types.ts";
import { navigationKey, planBatch, projectBatchSync } from "../../../projection/index.ts";
import { compareCodePoints } from "../../../projection/text.ts";
import { attributePage, attributePlan, attributeText } from "../../attributeQueries.ts";
import {
  compareSearchHits,
  isAfter,
  listingPage,
  listingPlan,
  searchPage,
  searchPlan,
} from "../../queries.ts";
import type {
  AttributeQuery,
  AttributeValueCount,
  CategoryListingQuery,
  CategoryStats,
  Page,
  ProductSummary,
  SearchHit,
  SearchQuery,
} from "../../readModels.ts";
import type { ApplyResult, Read, ViewStore } from "../../viewStore.ts";
import { MemoryRecords } from "./memoryRecords.ts";

export interface MemoryViewStore extends ViewStore {
  /** the records as they stand, for comparisons in tests */
  readonly records: MemoryRecords;
}

/**
 * The reference ViewStore: the shared projection over plain maps, every query
 * a scan. It passes `testViewStore`, and the property test holds real stores
 * to its answers.
 *
 * @example
 * const store = createMemoryViewStore();
 * await store.apply(events); // → { status: "applied", watermark: 42, applied: 42 }
 */
export function createMemoryViewStore(): MemoryViewStore {
  const recs = new MemoryRecords();
  let watermark = 0;
  const read = <T>(data: T | null): Promise<Read<T>> =>
    Promise.resolve({ watermark, data: structuredClone(data) });

  return {
    records: recs,
    async apply(events: readonly StoredEvent[]): Promise<ApplyResult> {
      const plan = planBatch(watermark, events);
      if (plan.status === "duplicate") return { status: "duplicate", watermark };
      if (plan.status === "gap") return { status: "gap", watermark, missing: plan.missing };
      recs.apply(projectBatchSync(plan.events, (needs) => recs.load(needs)));
      watermark = plan.watermark;
      return { status: "applied", watermark, applied: plan.events.length };
    },
    watermark: () => Promise.resolve(watermark),
    productPage: (slug) => read(recs.tables.page.get(slug) ?? null),
    async categoryListing(slug: string, query: CategoryListingQuery) {
      const plan = listingPlan(query);
      const category = recs.categoryBySlug(slug);
      if (!category) return read<Page<ProductSummary>>(null);
      const rows = [...recs.tables.listing.values()]
        .filter((l) => l.categoryId === category.id && (!plan.inStock || l.inStock))
        .flatMap((l) => {
          const summary = recs.tables.summary.get(l.id);
          return summary ? [{ item: summary, key: l.keys[plan.sort] }] : [];
        })
        .filter((r) => plan.after === null || compareCodePoints(r.key, plan.after) > 0)
        .sort((a, b) => compareCodePoints(a.key, b.key))
        .slice(0, plan.limit + 1);
      return read(listingPage(plan, rows));
    },
    async search(query: SearchQuery) {
      const plan = searchPlan(query);
      const hits: SearchHit[] = [];
      for (const entry of plan.terms.length > 0 ? recs.tables.search.values() : []) {
        const weights = new Map(entry.terms);
        if (!plan.terms.every((t) => weights.has(t))) continue;
        const score = plan.terms.reduce((s, t) => s + (weights.get(t) ?? 0), 0);
        const summary = recs.tables.summary.get(entry.id);
        if (summary && isAfter({ score, id: entry.id }, plan.after))
          hits.push({ ...summary, score });
      }
      return read(searchPage(plan, hits.sort(compareSearchHits).slice(0, plan.limit + 1)));
    },
    categoryStats: (slug: string) => read<CategoryStats>(recs.tables.stats.get(slug) ?? null),
    navigation: () => read(recs.tables.navigation.get(navigationKey) ?? []),
    async productsByAttribute(name: string, value: string, query: AttributeQuery) {
      const plan = attributePlan(name, value, query);
      const rows = [...recs.tables.attribute.values()]
        .filter((a) => a.pairs.some(([n, v]) => n === plan.name && v === plan.value))
        .filter((a) => plan.after === null || compareCodePoints(a.sortKey, plan.after) > 0)
        .sort((a, b) => compareCodePoints(a.sortKey, b.sortKey))
        .slice(0, plan.limit + 1)
        .flatMap((a) => {
          const summary = recs.tables.summary.get(a.id);
          return summary ? [{ item: summary, key: a.sortKey }] : [];
        });
      return read(attributePage(plan, rows));
    },
    async attributeValues(name: string) {
      attributeText("name", name);
      const counts = new Map<string, number>();
      for (const a of recs.tables.attribute.values()) {
        for (const [n, v] of a.pairs) if (n === name) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const values: AttributeValueCount[] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => compareCodePoints(a.value, b.value));
      return read({ name, values });
    },
    digest: () => digestRecords(recs.records()),
    close: () => Promise.resolve(),
  };
}
