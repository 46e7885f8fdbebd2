import type { Category, Product } from "../domain/catalog.ts";
import type { EventData, StoredEvent } from "../events/types.ts";

/** The entities after a batch, and which of them the batch touched. */
export interface FoldResult {
  /** the input map itself when no event changed a category: read it, never write it */
  categories: ReadonlyMap<string, Category>;
  /** final state of every product an event touched; null once deleted */
  products: Map<string, Product | null>;
  createdCategories: Set<string>;
  renamedCategories: Set<string>;
}

/** The fold in progress: its result so far, and the one way to change a category. */
interface Work extends FoldResult {
  /**
   * The categories to change. Most batches change none, so the fold reads the
   * caller's map and copies it only before the first change (a copy per apply
   * cost a 200-category catalog some 40 µs on Node and more on Bun).
   */
  writableCategories(): Map<string, Category>;
}

type Handler<T extends keyof EventData> = (
  work: Work,
  current: (id: string) => Product | null,
  data: EventData[T],
  seq: number,
) => void;

const newProduct: Handler<"product.created"> = (work, current, d, seq) => {
  if (current(d.id) !== null || !work.categories.has(d.categoryId)) return;
  work.products.set(d.id, {
    id: d.id,
    sku: d.sku,
    slug: d.slug,
    name: d.name,
    description: d.description,
    categoryId: d.categoryId,
    price: { amount: d.price.amount, currency: d.price.currency },
    status: d.status,
    attributes: { ...d.attributes },
    stock: d.stock,
    createdSeq: seq,
    version: seq,
  });
};

/**
 * Applies `change` to a copy of a live product; events about unknown or
 * deleted products are dropped, and so is an event `change` refuses.
 */
const patch =
  <T extends keyof EventData>(
    change: (next: Product, data: EventData[T], work: FoldResult) => boolean,
  ): Handler<T> =>
  (work, current, data, seq) => {
    const id = (data as { id: string }).id;
    const p = current(id);
    if (p === null) return;
    // A copy, then assignments: the same fields in the same order as
    // `{ ...p, ...fields, version }`, without the fields object per event,
    // and V8 copies `{ ...p }` in one step where a second spread defines
    // its fields one by one.
    const next = { ...p };
    if (!change(next, data, work)) return;
    next.version = seq;
    work.products.set(id, next);
  };

const handlers: { [T in keyof EventData]: Handler<T> } = {
  "category.created": (work, _current, d, seq) => {
    let slugTaken = false;
    for (const c of work.categories.values()) {
      if (c.slug !== d.slug) continue;
      slugTaken = true;
      break;
    }
    const orphan = d.parentId !== null && !work.categories.has(d.parentId);
    if (work.categories.has(d.id) || slugTaken || orphan) return;
    work.writableCategories().set(d.id, { ...d, version: seq });
    work.createdCategories.add(d.id);
  },
  "category.renamed": (work, _current, d, seq) => {
    const c = work.categories.get(d.id);
    if (!c) return;
    work.writableCategories().set(d.id, { ...c, name: d.name, version: seq });
    work.renamedCategories.add(d.id);
  },
  "product.created": newProduct,
  "product.updated": patch<"product.updated">((next, d, work) => {
    if (d.categoryId !== undefined && !work.categories.has(d.categoryId)) return false;
    if (d.name !== undefined) next.name = d.name;
    if (d.description !== undefined) next.description = d.description;
    if (d.categoryId !== undefined) next.categoryId = d.categoryId;
    if (d.attributes !== undefined) next.attributes = { ...d.attributes };
    return true;
  }),
  "product.priceChanged": patch<"product.priceChanged">((next, d) => {
    next.price = { amount: d.price.amount, currency: d.price.currency };
    return true;
  }),
  "product.stockAdjusted": patch<"product.stockAdjusted">((next, d) => {
    next.stock = Math.max(0, d.stock);
    return true;
  }),
  "product.published": patch<"product.published">((next) => {
    next.status = "active";
    return true;
  }),
  "product.archived": patch<"product.archived">((next) => {
    next.status = "archived";
    return true;
  }),
  "product.deleted": (work, current, d) => {
    if (current(d.id) !== null) work.products.set(d.id, null);
  },
};

/**
 * Folds events over the entities they touch, Emmett-style. Events the write
 * side could never have emitted (unknown product, missing category, a slug
 * taken twice) are dropped rather than thrown on: one bad event in the log
 * must not wedge every replica, and dropping it is itself deterministic.
 *
 * @example
 * const { products } = foldEntities(categories, loadedProducts, events);
 * products.get("prd_1")?.status; // → "active"
 */
export function foldEntities(
  categories: ReadonlyMap<string, Category>,
  products: ReadonlyMap<string, Product | null>,
  events: readonly StoredEvent[],
): FoldResult {
  let writable: Map<string, Category> | null = null;
  const work: Work = {
    categories,
    products: new Map(),
    createdCategories: new Set(),
    renamedCategories: new Set(),
    writableCategories() {
      writable ??= new Map(categories);
      work.categories = writable;
      return writable;
    },
  };
  const current = (id: string): Product | null => {
    const touched = work.products.get(id);
    return touched !== undefined ? touched : (products.get(id) ?? null);
  };
  for (const e of events) {
    (handlers[e.type] as Handler<typeof e.type>)(work, current, e.data as never, e.seq);
  }
  const { products: touched, createdCategories, renamedCategories } = work;
  return { categories: work.categories, products: touched, createdCategories, renamedCategories };
}

/**
 * The product ids a batch's events are about.
 *
 * @example
 * productIdsOf([priceChanged("prd_1"), stockAdjusted("prd_1")]); // → ["prd_1"]
 */
export function productIdsOf(events: readonly StoredEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) if (e.type.startsWith("product.")) ids.add((e.data as { id: string }).id);
  return [...ids];
}
