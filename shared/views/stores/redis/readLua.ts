import { recordKinds } from "../../../projection/records.ts";
import { luaKeys, luaList } from "./keys.ts";
import { luaReplies } from "./replies.ts";

// Read scripts: each answers one query in one round trip and in one snapshot
// (a script runs alone), with the watermark it was served at. All of them
// reply in the `replyMark` form (replies.ts), record JSON spliced in as stored.

const prelude = `${luaKeys}${luaReplies}
local watermark = redis.call("GET", K.watermark) or "0"
-- One page of a lex zset of \`sortKey NUL productId\` members, after the sort
-- key \`after\` ("" for the first page): [[sortKey, summary], …].
local function lexPage(key, after, rows)
  local from = "-"
  if after ~= "" then from = "[" .. after .. "\\1" end
  local members = redis.call("ZRANGE", key, from, "+", "BYLEX", "LIMIT", 0, rows)
  local page = {}
  for _, member in ipairs(members) do
    local cut = string.find(member, "\\0", 1, true)
    local entry = redis.call("GET", K.summary(string.sub(member, cut + 1)))
    if entry then page[#page + 1] = jlist({ jstr(string.sub(member, 1, cut - 1)), entry }) end
  end
  return page
end
`;

/**
 * ARGV: prefix, category slug, sort, filter ("all" | "in"), the sort key to
 * continue after ("" for the first page), rows. Reply: [watermark, null] for
 * an unknown category, else [watermark, [[sortKey, summary], …]].
 *
 * Members are `sortKey NUL id`, and no sort key holds a NUL, so the members
 * after sort key `k` are exactly those from `k` + byte 1 on (BYLEX, inclusive).
 */
export const listingLua = `${prelude}
local category = redis.call("HGET", K.categorySlug, ARGV[2])
if not category then return reply({ jstr(watermark), "null" }) end
local rows = lexPage(K.order(ARGV[3], ARGV[4], category), ARGV[5], tonumber(ARGV[6]))
return reply({ jstr(watermark), jlist(rows) })
`;

/**
 * ARGV: prefix, attribute name, value, the sort key to continue after ("" for
 * the first page), rows. Reply: [watermark, [[sortKey, summary], …]];
 * an unknown name or value is simply an empty zset. Same member scheme and
 * cursor arithmetic as `listingLua`.
 */
export const facetLua = `${prelude}
local rows = lexPage(K.facet(ARGV[2], ARGV[3]), ARGV[4], tonumber(ARGV[5]))
return reply({ jstr(watermark), jlist(rows) })
`;

/**
 * ARGV: prefix, attribute name. Reply: [watermark, [[value, count], …]] in
 * hash order; the caller sorts.
 */
export const facetValuesLua = `${prelude}
local flat = redis.call("HGETALL", K.facetValues(ARGV[2]))
local values = {}
for i = 1, #flat, 2 do values[#values + 1] = jlist({ jstr(flat[i]), jstr(flat[i + 1]) }) end
return reply({ jstr(watermark), jlist(values) })
`;

/**
 * ARGV: prefix, rows, the cursor's score and id ("" for the first page), the
 * query's words. Reply: [watermark, [[id, score, summary], …]], best first.
 *
 * Walks the postings of the rarest word and probes the others by ZSCORE, as
 * the SQL store joins from its rarest word; keeps only the best `rows` hits.
 * Ids compare byte by byte: Lua's `<` on strings follows the server's
 * LC_COLLATE, and only byte order equals the code-point order of the cursor.
 */
export const searchLua = `${prelude}
local function before(a, b)
  if a == b then return false end
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local function better(s1, id1, s2, id2)
  if s1 ~= s2 then return s1 > s2 end
  return before(id1, id2)
end
local rows, afterScore, afterId = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local terms, driver, size = {}, 0, -1
for i = 5, #ARGV do
  local key = K.term(ARGV[i])
  local n = redis.call("ZCARD", key)
  terms[#terms + 1] = key
  if size < 0 or n < size then driver, size = #terms, n end
end
local top = {}
local function consider(score, id)
  if afterScore and not better(afterScore, afterId, score, id) then return end
  if #top >= rows and not better(score, id, top[rows][1], top[rows][2]) then return end
  local at = #top + 1
  while at > 1 and better(score, id, top[at - 1][1], top[at - 1][2]) do
    top[at] = top[at - 1]
    at = at - 1
  end
  top[at] = { score, id }
  if #top > rows then top[rows + 1] = nil end
end
for start = 0, size - 1, 1000 do
  local page = redis.call("ZRANGE", terms[driver], start, start + 999, "WITHSCORES")
  for j = 1, #page, 2 do
    local id, score = page[j], tonumber(page[j + 1])
    for i, key in ipairs(terms) do
      if score and i ~= driver then
        local w = redis.call("ZSCORE", key, id)
        score = w and score + tonumber(w)
      end
    end
    if score then consider(score, id) end
  end
end
local hits = {}
for _, hit in ipairs(top) do
  local entry = redis.call("GET", K.summary(hit[2]))
  if entry then hits[#hits + 1] = jlist({ jstr(hit[2]), string.format("%.17g", hit[1]), entry }) end
end
return reply({ jstr(watermark), jlist(hits) })
`;

/**
 * ARGV: prefix, the kind to start at (1-based in `recordKinds` order), the key
 * to continue after within it ("" to start), rows. Walks on into the next
 * kinds until `rows` records are found. Reply: [watermark, [[kind, key,
 * value], …]] in the digest's order: kind, then key bytes (= code points).
 */
export const digestPageLua = `${prelude}
local KINDS = ${luaList(recordKinds)}
local wanted = tonumber(ARGV[4])
local rows = {}
for k = tonumber(ARGV[2]), #KINDS do
  local kind = KINDS[k]
  local from = "-"
  if k == tonumber(ARGV[2]) and ARGV[3] ~= "" then from = "(" .. ARGV[3] end
  local keys = redis.call("ZRANGE", K.index(kind), from, "+", "BYLEX", "LIMIT", 0, wanted - #rows)
  for _, key in ipairs(keys) do
    local value
    if kind == "category" then value = redis.call("HGET", K.category, key)
    else value = redis.call("GET", K[kind](key)) end
    rows[#rows + 1] = jlist({ tostring(k), jstr(key), jraw(value) })
  end
  if #rows >= wanted then break end
end
return reply({ jstr(watermark), jlist(rows) })
`;
