import { HashSum, recordHash, zeroHash } from "../../../digest/recordHash.ts";
import type { Category, Product } from "../../../domain/catalog.ts";
import type {
  Loaded,
  Need,
  PricePoint,
  RecordChange,
  RecordKind,
  RecordValues,
  ViewRecord,
} from "../../../projection/index.ts";
import { navigationKey, recordKinds } from "../../../projection/index.ts";
import { compareCodePoints } from "../../../projection/text.ts";

type Tables = { [K in RecordKind]: Map<string, RecordValues[K]> };

/**
 * View records held in plain maps: the reference store. Loads answer needs by
 * scanning, which is slow and obviously right.
 *
 * @example
 * const recs = new MemoryRecords();
 * recs.apply(projectBatchSync(events, (n) => recs.load(n)));
 */
export class MemoryRecords {
  readonly tables: Tables = {
    category: new Map(),
    product: new Map(),
    page: new Map(),
    listing: new Map(),
    search: new Map(),
    counters: new Map(),
    attribute: new Map(),
    summary: new Map(),
    stats: new Map(),
    navigation: new Map(),
  };

  load(needs: readonly Need[]): Loaded[] {
    return needs.map((n) => this.#answer(n));
  }

  #answer(n: Need): Loaded {
    const t = this.tables;
    const clone = <T>(v: T): T => structuredClone(v);
    switch (n.kind) {
      case "categories":
        return { kind: "categories", categories: [...t.category.values()].map(clone) };
      case "products":
        return { ...n, products: found(n.ids, t.product).map(clone) };
      case "counters":
        return { ...n, counters: found(n.categoryIds, t.counters).map(clone) };
      case "members": {
        const ids = new Set(n.categoryIds);
        const products = [...t.product.values()].filter((p) => ids.has(p.categoryId));
        return { ...n, products: products.map(clone) };
      }
      case "priceRange": {
        const group: PricePoint[] = [...t.listing.values()]
          .filter((l) => l.categoryId === n.categoryId && l.currency === n.currency)
          .map((l) => ({ id: l.id, amount: l.amount }))
          .sort((a, b) => a.amount - b.amount || compareCodePoints(a.id, b.id));
        return {
          ...n,
          lowest: group.slice(0, n.limit),
          highest: group.reverse().slice(0, n.limit),
        };
      }
      case "navigation":
        return { kind: "navigation", navigation: clone(t.navigation.get(navigationKey) ?? null) };
    }
  }

  /** the XOR of every record's hash: the digest's running sum, as the other stores keep it */
  sum = zeroHash;

  apply(changes: readonly RecordChange[]): void {
    const sum = new HashSum(this.sum);
    for (const c of changes) {
      const kind = c.op === "delete" ? c.kind : c.record.kind;
      const key = c.op === "delete" ? c.key : c.record.key;
      const table = this.tables[kind] as Map<string, unknown>;
      const old = table.get(key);
      if (old !== undefined) sum.add(recordHash(kind, key, JSON.stringify(old)));
      if (c.op === "delete") {
        table.delete(key);
      } else {
        table.set(key, structuredClone(c.record.value));
        sum.add(recordHash(kind, key, JSON.stringify(c.record.value)));
      }
    }
    this.sum = sum.toString();
  }

  /** Every record, in no particular order. */
  records(): ViewRecord[] {
    return recordKinds.flatMap((kind) =>
      [...(this.tables[kind] as Map<string, unknown>)].map(
        ([key, value]) => ({ kind, key, value }) as ViewRecord,
      ),
    );
  }

  categoryBySlug(slug: string): Category | undefined {
    for (const c of this.tables.category.values()) if (c.slug === slug) return c;
    return undefined;
  }

  productsIn(categoryId: string): Product[] {
    return [...this.tables.product.values()].filter((p) => p.categoryId === categoryId);
  }
}

const found = <T>(ids: readonly string[], map: ReadonlyMap<string, T>): T[] =>
  ids.flatMap((id) => {
    const v = map.get(id);
    return v === undefined ? [] : [v];
  });
