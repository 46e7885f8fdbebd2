import { canonicalJson } from "../digest/index.ts";
import type { StoredEvent } from "../events/types.ts";
import { words } from "../projection/text.ts";
import { type ListingSort, listingSorts, type Page } from "../views/readModels.ts";
import type { Read, ViewStore } from "../views/viewStore.ts";

/** Which reads to compare; `probeOf(events)` derives one from a log. */
export interface ViewProbe {
  productSlugs: string[];
  categorySlugs: string[];
  searches: string[];
  /** small, so pagination is exercised */
  pageSize: number;
}

/** Everything a storefront can read for a probe, watermarks aside. */
export type ViewSnapshot = Record<string, unknown>;

/**
 * Every product and category slug the log mentions plus one that does not
 * exist, and searches for single words, word pairs and a diacritics variant.
 *
 * @example
 * const probe = probeOf(log.events);
 */
export function probeOf(events: readonly StoredEvent[], maxSearches = 12): ViewProbe {
  const products = new Set<string>(["no-such-product"]);
  const categories = new Set<string>(["no-such-category"]);
  const texts: string[] = [];
  for (const e of events) {
    if (e.type === "category.created") categories.add(e.data.slug);
    if (e.type === "product.created") {
      products.add(e.data.slug);
      texts.push(e.data.name, e.data.description);
    }
    if (e.type === "product.updated") texts.push(e.data.name ?? "", e.data.description ?? "");
  }
  const searches = new Set<string>(["", "no-such-word"]);
  for (const t of texts) {
    const w = words(t);
    if (w[0]) searches.add(w[0].toUpperCase());
    if (w.length > 1) searches.add(t);
    if (searches.size >= maxSearches) break;
  }
  return {
    productSlugs: [...products],
    categorySlugs: [...categories],
    searches: [...searches],
    pageSize: 3,
  };
}

async function pages<T>(fetch: (cursor?: string) => Promise<Read<Page<T>>>): Promise<T[][] | null> {
  const out: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const read = await fetch(cursor);
    if (read.data === null) return null;
    out.push(read.data.items);
    if (read.data.nextCursor === null) return out;
    cursor = read.data.nextCursor;
  }
  throw new Error("a store kept handing out cursors");
}

/**
 * Reads everything the probe names, following cursors to the end.
 *
 * @example
 * const snap = await viewSnapshot(store, probeOf(events));
 */
export async function viewSnapshot(store: ViewStore, probe: ViewProbe): Promise<ViewSnapshot> {
  const limit = probe.pageSize;
  const snap: ViewSnapshot = { digest: await store.digest() };
  snap.navigation = (await store.navigation()).data;
  for (const slug of probe.productSlugs)
    snap[`page ${slug}`] = (await store.productPage(slug)).data;
  for (const slug of probe.categorySlugs) {
    snap[`stats ${slug}`] = (await store.categoryStats(slug)).data;
    for (const sort of listingSorts as readonly ListingSort[]) {
      for (const inStock of [false, true]) {
        snap[`listing ${slug} ${sort}${inStock ? " inStock" : ""}`] = await pages((cursor) =>
          store.categoryListing(slug, { sort, inStock, limit, cursor }),
        );
      }
    }
  }
  for (const q of probe.searches) {
    snap[`search ${JSON.stringify(q)}`] = await pages((cursor) =>
      store.search({ q, limit, cursor }),
    );
  }
  return snap;
}

/**
 * What differs between two stores' views, one line per differing read; empty
 * when they agree. Use it to hold the primary's inline views to a replica or
 * to a rebuild at the same watermark.
 *
 * @example
 * expect(await diffViews(primaryViews, rebuilt, probeOf(events))).toEqual([]);
 */
export async function diffViews(a: ViewStore, b: ViewStore, probe: ViewProbe): Promise<string[]> {
  const [wa, wb] = [await a.watermark(), await b.watermark()];
  const diffs = wa === wb ? [] : [`watermark: ${wa} vs ${wb}`];
  return diffs.concat(diffSnapshots(await viewSnapshot(a, probe), await viewSnapshot(b, probe)));
}

/** @example diffSnapshots(snapA, snapB); // → ["page lamp: {…} vs null"] */
export function diffSnapshots(a: ViewSnapshot, b: ViewSnapshot): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [canonicalJson(a[key] ?? null), canonicalJson(b[key] ?? null)];
    if (x !== y) out.push(`${key}: ${x.slice(0, 400)} vs ${y.slice(0, 400)}`);
  }
  return out;
}
