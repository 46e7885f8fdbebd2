import type { Category } from "../domain/catalog.ts";
import type { CategoryStats, NavigationNode } from "../views/readModels.ts";
import type { CategoryCounters } from "./records.ts";
import { compareCodePoints } from "./text.ts";

/** The counts a navigation node shows. */
export interface NodeCounts {
  productCount: number;
  totalProductCount: number;
}

/** Average in integer minor units, rounded half up; `sum` is exact as a bigint. */
const average = (sum: string, count: number) =>
  Number((2n * BigInt(sum) + BigInt(count)) / (2n * BigInt(count)));

/**
 * The stats read's answer for a category: what the `stats` record holds.
 *
 * @example
 * categoryStatsOf(category, counters).prices[0]?.avg; // → 1999
 */
export function categoryStatsOf(c: Category, counters: CategoryCounters | null): CategoryStats {
  return {
    category: { id: c.id, slug: c.slug, name: c.name },
    productCount: counters?.productCount ?? 0,
    inStockCount: counters?.inStockCount ?? 0,
    prices: (counters?.prices ?? []).map((p) => ({
      currency: p.currency,
      count: p.count,
      min: p.min,
      max: p.max,
      avg: average(p.sum, p.count),
    })),
    version: c.version,
  };
}

/**
 * Assembles the category tree from flat records; siblings by slug, a stable
 * and locale-free order.
 *
 * @example
 * buildNavigation(categories, countersById)[0]?.children.length; // → 2
 */
export function buildNavigation(
  categories: Iterable<Category>,
  counters: ReadonlyMap<string, NodeCounts>,
): NavigationNode[] {
  const nodes = new Map<string, NavigationNode & { parentId: string | null }>();
  for (const c of categories) {
    const n = counters.get(c.id);
    nodes.set(c.id, {
      id: c.id,
      slug: c.slug,
      name: c.name,
      productCount: n?.productCount ?? 0,
      totalProductCount: n?.totalProductCount ?? 0,
      version: c.version,
      children: [],
      parentId: c.parentId,
    });
  }
  const roots: NavigationNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const strip = (list: NavigationNode[]): NavigationNode[] =>
    list
      .sort((a, b) => compareCodePoints(a.slug, b.slug))
      .map(({ id, slug, name, productCount, totalProductCount, version, children }) => ({
        id,
        slug,
        name,
        productCount,
        totalProductCount,
        version,
        children: strip(children),
      }));
  return strip(roots);
}

/**
 * Every node of a tree, parents before children.
 *
 * @example
 * [...navigationNodes(tree)].map((n) => n.slug); // → ["home", "lamps", …]
 */
export function* navigationNodes(tree: readonly NavigationNode[]): Generator<NavigationNode> {
  for (const node of tree) {
    yield node;
    yield* navigationNodes(node.children);
  }
}
