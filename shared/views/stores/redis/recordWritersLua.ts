import type { AnyReadModel } from "../../models/readModel.ts";
import { readModelList } from "../../models/readModelList.ts";

/**
 * The read models' own listing indexes (`indexes.redisListing`), as a Lua
 * list the listing handler runs for each old and new entry; defined after
 * `later` and `K`, which they use.
 */
const modelListingIndexes = () =>
  `local MODEL_LISTING_INDEXES = { ${(readModelList as readonly AnyReadModel[])
    .flatMap((m) => (m.indexes?.redisListing ? [m.indexes.redisListing] : []))
    .join(", ")} }`;

/**
 * How each record kind is written, shared by the apply script and the bulk
 * load's, so a bulk-loaded namespace holds exactly the keys and members an
 * apply would have written and later applies find them. Defines `handlers`:
 * `handlers[kind](key, json)`, `json` nil for a delete.
 *
 * The script around it defines (after `luaKeys`):
 * - `later(cmd, key, …)`: queue one write (ZADD, ZREM, SET, DEL, HSET, HDEL, SADD, SREM);
 * - `defer(fn)`: queue a write that must look at Redis when it runs;
 * - `adjust(key, field, delta)`: add to a hash field's count, dropping it at zero;
 * - `stored(cmd, key, field?)`: the old record a write replaces (GET or HGET), or false.
 */
export const recordWritersLua = () => `
local function simple(keyOf)
  return function(key, json)
    if json then later("SET", keyOf(key), json) else later("DEL", keyOf(key)) end
  end
end

${modelListingIndexes()}
local function listingIndex(id, entry, add)
  local function touch(key, score, member)
    if add then later("ZADD", key, score, member) else later("ZREM", key, member) end
  end
  for _, sort in ipairs(SORTS) do
    local member = entry.keys[sort] .. "\\0" .. id
    touch(K.order(sort, "all", entry.categoryId), 0, member)
    if entry.inStock then touch(K.order(sort, "in", entry.categoryId), 0, member) end
  end
  touch(K.prices(entry.categoryId, entry.currency), entry.amount, id)
  for _, index in ipairs(MODEL_LISTING_INDEXES) do index(id, entry, add) end
end

local handlers = {
  page = simple(K.page),
  counters = simple(K.counters),
  summary = simple(K.summary),
  stats = simple(K.stats),
  navigation = simple(K.navigation),
}
function handlers.category(id, json)
  local old = stored("HGET", K.category, id)
  local oldSlug = old and cjson.decode(old).slug
  local slug = json and cjson.decode(json).slug
  if oldSlug and oldSlug ~= slug then
    -- conditional: another category of this batch may have taken the slug over
    defer(function()
      if redis.call("HGET", K.categorySlug, oldSlug) == id then
        redis.call("HDEL", K.categorySlug, oldSlug)
      end
    end)
  end
  if json then
    later("HSET", K.category, id, json)
    later("HSET", K.categorySlug, slug, id)
  else
    later("HDEL", K.category, id)
  end
end
function handlers.product(id, json)
  local old = stored("GET", K.product(id))
  local oldCategory = old and cjson.decode(old).categoryId
  local category = json and cjson.decode(json).categoryId
  if oldCategory and oldCategory ~= category then later("SREM", K.members(oldCategory), id) end
  if json then
    later("SET", K.product(id), json)
    later("SADD", K.members(category), id)
  else
    later("DEL", K.product(id))
  end
end
-- A record stored as JSON under \`key\` with index entries derived from it:
-- the old record's entries go, the new one's come, then the record itself.
local function reindexed(key, id, json, index)
  local old = stored("GET", key)
  if old then index(id, cjson.decode(old), false) end
  if json then
    index(id, cjson.decode(json), true)
    later("SET", key, json)
  else
    later("DEL", key)
  end
end
-- Impact-ordered postings: the ids holding a word at one weight, in id order.
local function termIndex(id, entry, add)
  for _, tw in ipairs(entry.terms) do
    local key = K.post(tw[1], tw[2])
    if add then later("ZADD", key, 0, id) else later("ZREM", key, id) end
  end
end
function handlers.listing(id, json) reindexed(K.listing(id), id, json, listingIndex) end
function handlers.search(id, json) reindexed(K.search(id), id, json, termIndex) end
-- Counts change in order with the other writes, so a product leaving one
-- value and joining another in one batch nets out; a count at zero goes.
local function facetIndex(id, entry, add)
  local member = entry.sortKey .. "\\0" .. id
  for _, pair in ipairs(entry.pairs) do
    local name, value = pair[1], pair[2]
    if type(name) ~= "string" or type(value) ~= "string" or type(entry.sortKey) ~= "string" then
      error("view apply: a malformed attribute record for " .. id)
    end
    if add then later("ZADD", K.facet(name, value), 0, member)
    else later("ZREM", K.facet(name, value), member) end
    adjust(K.facetValues(name), value, add and 1 or -1)
  end
end
function handlers.attribute(id, json) reindexed(K.attribute(id), id, json, facetIndex) end
`;
