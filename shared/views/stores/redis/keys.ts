import { listingSorts } from "../../readModels.ts";

/**
 * Bump when the key layout changes: the views are then rebuilt beside the
 * live ones, and a namespace of another layout is only kept moving until the
 * new one switches in (`frozenReads`).
 *
 * 2: served records (summary, stats by slug, navigation) under keys of their
 * own, so reads answer stored JSON text; counters apart from stats.
 */
export const redisLayoutVersion = 2;

/**
 * The fixed part of every key after the store's prefix. The variable part
 * (an id, a slug, a term) always comes last, so two keys of different kinds
 * can never collide whatever the ids contain. Lua builds the same names from
 * these strings (`luaKeys`), so the two sides cannot drift apart silently.
 */
export const keyParts = {
  /** string: the view watermark as decimal digits; absent means 0 */
  watermark: "watermark",
  /** string: the key layout the namespace was written by; absent on layout 1 */
  layout: "layout",
  /** string: "x" and the XOR of every record's hash (32 hex digits), kept by the apply script */
  digest: "digest",
  /** hash per record kind: key → the record's hash, for the digest's running sum */
  hashes: "hashes:",
  /** hash: category id → Category JSON (the tree is small and always read whole) */
  category: "category",
  /** hash: category slug → category id */
  categorySlug: "category-slug",
  /** string per product: Product JSON, drafts included */
  product: "product:",
  /** set per category: ids of its products (a rename's fan-out) */
  members: "members:",
  /** string per slug: ProductPage JSON */
  page: "page:",
  /** string per active product: ListingEntry JSON */
  listing: "listing:",
  /** string per active product: ProductSummary JSON, a listing or search row as served */
  summary: "summary:",
  /** lex zset per sort × filter × category: `sortKey NUL productId` at score 0 */
  order: "order:",
  /** zset per category × currency: product id scored by price, for min/max lookups */
  prices: "prices:",
  /** string per active product: SearchEntry JSON */
  search: "search:",
  /**
   * lex zset per weight × word: the ids of the products holding the word at
   * that weight (2 name, 1 description, 3 both), at score 0, so in id order
   */
  post: "post:",
  /** string per category: CategoryCounters JSON */
  counters: "counters:",
  /** string per category slug: CategoryStats JSON, as served */
  stats: "stats:",
  /** string: the navigation record (the category tree with counts), as served */
  navigation: "navigation:",
  /** string per active product with attributes: AttributeEntry JSON */
  attribute: "attribute:",
  /**
   * lex zset per attribute name × value: `sortKey NUL productId` at score 0.
   * The name goes in length-prefixed (`<bytes>:<name><value>`), so no
   * character of a name or value can make two facets share a key.
   */
  facet: "facet:",
  /** hash per attribute name: value → count of active products with it */
  facetValues: "facet-values:",
  /** lex zset per record kind: every key of that kind, for the digest's ordered walk */
  index: "index:",
  /** list per oversized apply: its write ops, staged across requests */
  staging: "staging:",
  /** string while a bulk load writes the namespace: the load's token, so a superseded load stops */
  bulkLoad: "bulk-load",
  /**
   * set while a bulk load writes the namespace: every key it wrote besides
   * the records the key indexes list, so a load a crash cut short can be
   * emptied without a SCAN that would reach other namespaces' keys
   */
  bulkKeys: "bulk-keys",
} as const;

/** `all` holds every active product of a category, `in` only those in stock. */
export type OrderFilter = "all" | "in";

/** The key names of one store, under its prefix. */
export interface RedisKeys {
  readonly prefix: string;
  readonly watermark: string;
  readonly category: string;
  readonly categorySlug: string;
  readonly layout: string;
  readonly digest: string;
  readonly bulkLoad: string;
  product(id: string): string;
  page(slug: string): string;
  counters(categoryId: string): string;
  stats(slug: string): string;
  navigation(key: string): string;
  staging(token: string): string;
}

/**
 * @example
 * redisKeys("views:").product("prd_1"); // → "views:product:prd_1"
 */
export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    watermark: prefix + keyParts.watermark,
    category: prefix + keyParts.category,
    categorySlug: prefix + keyParts.categorySlug,
    layout: prefix + keyParts.layout,
    digest: prefix + keyParts.digest,
    bulkLoad: prefix + keyParts.bulkLoad,
    product: (id) => prefix + keyParts.product + id,
    page: (slug) => prefix + keyParts.page + slug,
    counters: (categoryId) => prefix + keyParts.counters + categoryId,
    stats: (slug) => prefix + keyParts.stats + slug,
    navigation: (key) => prefix + keyParts.navigation + key,
    staging: (token) => prefix + keyParts.staging + token,
  };
}

// Only ever given plain ASCII names, for which JSON string syntax is Lua's too.
const lua = (text: string) => JSON.stringify(text);

/**
 * A Lua table literal of plain ASCII strings.
 *
 * @example
 * luaList(["a", "b"]); // → '{ "a", "b" }'
 */
export const luaList = (items: readonly string[]) => `{ ${items.map(lua).join(", ")} }`;

/**
 * The Lua prelude every script starts with: `P` is the prefix (always ARGV[1])
 * and `K` builds each key exactly as `redisKeys` does.
 *
 * @example
 * const script = `${luaKeys}\nreturn redis.call("GET", K.watermark)`;
 */
export const luaKeys = `
local P = ARGV[1]
local K = {
  watermark = P .. ${lua(keyParts.watermark)},
  category = P .. ${lua(keyParts.category)},
  categorySlug = P .. ${lua(keyParts.categorySlug)},
  digest = P .. ${lua(keyParts.digest)},
  bulkLoad = P .. ${lua(keyParts.bulkLoad)},
  bulkKeys = P .. ${lua(keyParts.bulkKeys)},
}
function K.hashes(kind) return P .. ${lua(keyParts.hashes)} .. kind end
function K.product(id) return P .. ${lua(keyParts.product)} .. id end
function K.members(categoryId) return P .. ${lua(keyParts.members)} .. categoryId end
function K.page(slug) return P .. ${lua(keyParts.page)} .. slug end
function K.listing(id) return P .. ${lua(keyParts.listing)} .. id end
function K.summary(id) return P .. ${lua(keyParts.summary)} .. id end
function K.order(sort, filter, categoryId)
  return P .. ${lua(keyParts.order)} .. sort .. ":" .. filter .. ":" .. categoryId
end
function K.prices(categoryId, currency) return P .. ${lua(keyParts.prices)} .. categoryId .. "\\0" .. currency end
function K.search(id) return P .. ${lua(keyParts.search)} .. id end
function K.post(word, weight) return P .. ${lua(keyParts.post)} .. weight .. ":" .. word end
function K.counters(categoryId) return P .. ${lua(keyParts.counters)} .. categoryId end
function K.stats(slug) return P .. ${lua(keyParts.stats)} .. slug end
function K.navigation(key) return P .. ${lua(keyParts.navigation)} .. key end
function K.attribute(id) return P .. ${lua(keyParts.attribute)} .. id end
function K.facet(name, value) return P .. ${lua(keyParts.facet)} .. #name .. ":" .. name .. value end
function K.facetValues(name) return P .. ${lua(keyParts.facetValues)} .. name end
function K.index(kind) return P .. ${lua(keyParts.index)} .. kind end
local SORTS = ${luaList(listingSorts)}
`;
