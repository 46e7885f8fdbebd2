import type { StoredEvent } from "../../events/types.ts";
import { attributeValueText } from "../../projection/derive.ts";
import { words } from "../../projection/text.ts";
import { attributeText } from "../attributeQueries.ts";

/** What a log mentions, for read models to draw their contract examples from. */
export interface LogMentions {
  /** every product slug, and one that does not exist */
  productSlugs: string[];
  /** every category slug, and one that does not exist */
  categorySlugs: string[];
  /** single words, word pairs and a diacritics variant, plus "" and an unknown word */
  searches: string[];
  /** attribute names, and one that does not exist */
  attributeNames: string[];
  /** [name, value as text] facets, and an unknown one */
  facets: Array<[name: string, value: string]>;
}

/** Small, so pagination is exercised. */
export const examplePageSize = 3;

const mentioned = new WeakMap<readonly StoredEvent[], Map<string, LogMentions>>();

/**
 * What a log mentions, capped so each example stays one paged read per store
 * compared: `maxSearches` searches and `maxFacets` facets.
 *
 * @example
 * mentionsOf(log.events).productSlugs; // → ["no-such-product", "desk-lamp", …]
 */
export function mentionsOf(
  events: readonly StoredEvent[],
  maxSearches = 12,
  maxFacets = 12,
): LogMentions {
  const caps = `${maxSearches} ${maxFacets}`;
  const known = mentioned.get(events)?.get(caps);
  if (known) return known;
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
  const result = {
    productSlugs: [...products],
    categorySlugs: [...categories],
    searches: [...searches],
    attributeNames: [...names],
    facets: [...facets.values()],
  };
  const byCaps = mentioned.get(events) ?? new Map<string, LogMentions>();
  byCaps.set(caps, result);
  mentioned.set(events, byCaps);
  return result;
}
