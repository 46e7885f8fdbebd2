import { canonicalJson } from "../digest/index.ts";
import type { StoredEvent } from "../events/types.ts";
import { attributeValueText } from "../projection/derive.ts";
import { words } from "../projection/text.ts";
import { attributeText } from "../views/attributeQueries.ts";
import { type ListingSort, listingSorts, type Page } from "../views/readModels.ts";
import type { Read, ViewStore } from "../views/viewStore.ts";

/** Which reads to compare; `probeOf(events)` derives one from a log. */
export interface ViewProbe {
  productSlugs: string[];
  categorySlugs: string[];
  searches: string[];
  /** attribute names and [name, value] facets, values as text */
  attributeNames: string[];
  facets: Array<[name: string, value: string]>;
  /** small, so pagination is exercised */
  pageSize: number;
}

/** Everything a storefront can read for a probe, watermarks aside. */
export type ViewSnapshot = Record<string, unknown>;

/**
 * Every product and category slug the log mentions plus one that does not
 * exist, searches for single words, word pairs and a diacritics variant,
 * every attribute name and the first `maxFacets` name = value pairs (plus an
 * unknown one of each).
 *
 * @example
 * const probe = probeOf(log.events);
 */
export function probeOf(
  events: readonly StoredEvent[],
  maxSearches = 12,
  maxFacets = 12,
): ViewProbe {
  const products = new Set<string>(["no-such-product"]);
  const categories = new Set<string>(["no-such-category"]);
  const texts: string[] = [];
  const names = new Set<string>(["no-such-attribute"]);
  const facets = new Map<string, [string, string]>([
    ['["no-such-attribute","x"]', ["no-such-attribute", "x"]],
  ]);
  // A name or value no query can ask for (a control character, say) is left out.
  const queryable = ([name, value]: [string, string]) => {
    try {
      return attributeText("name", name) === name && attributeText("value", value) === value;
    } catch {
      return false;
    }
  };
  const facetsOf = (attributes: Record<string, string | number | boolean> | undefined) => {
    for (const [name, value] of Object.entries(attributes ?? {})) {
      const pair: [string, string] = [name, attributeValueText(value)];
      if (!queryable(pair)) continue;
      names.add(name);
      // capped as searches are: each one is a paged read per store compared
      if (facets.size < maxFacets) facets.set(JSON.stringify(pair), pair);
    }
  };
  for (const e of events) {
    if (e.type === "category.created") categories.add(e.data.slug);
    if (e.type === "product.created") {
      products.add(e.data.slug);
      texts.push(e.data.name, e.data.description);
      facetsOf(e.data.attributes);
    }
    if (e.type === "product.updated") {
      texts.push(e.data.name ?? "", e.data.description ?? "");
      facetsOf(e.data.attributes);
    }
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
    attributeNames: [...names],
    facets: [...facets.values()],
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
  for (const name of probe.attributeNames) {
    snap[`attribute ${JSON.stringify(name)}`] = (await store.attributeValues(name)).data;
  }
  for (const [name, value] of probe.facets) {
    snap[`facet ${JSON.stringify([name, value])}`] = await pages((cursor) =>
      store.productsByAttribute(name, value, { limit, cursor }),
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
