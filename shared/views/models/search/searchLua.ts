import { readPrelude } from "../../stores/redis/readLua.ts";

/**
 * The search on Redis, over the apply script's postings: a lex zset per
 * (weight, word) of the ids holding it (`post:<weight>:<word>`), so each is
 * in id order and ZCARD counts it. Up to three words, the weight
 * combinations are read best total first, a total's combinations merged in id
 * order, stopping once the page is full (`holdingAll` says how a
 * combination's ids are found). Longer queries score every id of their rarest
 * word.
 *
 * ARGV: prefix, limit, the cursor's score and id ("" for the first page),
 * the query's words.
 */
export const searchLua = `${readPrelude}
local limit = tonumber(ARGV[2])
local wanted = limit + 1
local afterScore, afterId = tonumber(ARGV[3]), ARGV[4]
local words = {}
for i = 5, #ARGV do words[#words + 1] = ARGV[i] end
local WEIGHTS = { 3, 2, 1 }
local post = K.post
local function holds(word, weight, id) return redis.call("ZSCORE", post(word, weight), id) ~= false end
local sizes = {}
local function size(key)
  sizes[key] = sizes[key] or redis.call("ZCARD", key)
  return sizes[key]
end
-- Up to n ids in every one of keys after the id after (nil: from the first),
-- in id order: its smallest zset walked in growing steps, its ids checked
-- against the others' in one ZMSCORE a step. When the steps so far say the
-- walk would read most of that zset (two common words with few ids in
-- common: thousands of ids for a handful), the server's intersection reads
-- the rest at once.
local function holdingAll(keys, after, n)
  local ids, driver = {}, 1
  for i, key in ipairs(keys) do
    if size(key) == 0 then return ids end
    if size(key) < size(keys[driver]) then driver = i end
  end
  local start, step, walked = "-", 64, 0
  if after then start = "(" .. after end
  while true do
    local batch = redis.call("ZRANGE", keys[driver], start, "+", "BYLEX", "LIMIT", 0, step)
    local held = {}
    for i, key in ipairs(keys) do
      if i ~= driver and #batch > 0 then held[#held + 1] = redis.call("ZMSCORE", key, unpack(batch)) end
    end
    for at, id in ipairs(batch) do
      local all = true
      for _, scores in ipairs(held) do
        if not scores[at] then all = false break end
      end
      if all then
        ids[#ids + 1] = id
        if #ids >= n then return ids end
      end
    end
    if #batch < step then return ids end
    walked = walked + #batch
    local last = batch[#batch]
    if #held > 0 and (#ids == 0 or (n - #ids) * walked > #ids * size(keys[driver]) / 2) then
      for _, id in ipairs(redis.call("ZINTER", #keys, unpack(keys))) do
        if bytesBefore(last, id) then
          ids[#ids + 1] = id
          if #ids >= n then break end
        end
      end
      return ids
    end
    start = "(" .. last
    if step < 1024 then step = step * 2 end
  end
end
-- The first n ids of lists each in id order, in id order.
local function mergeFirst(lists, n)
  local merged, at = {}, {}
  for i = 1, #lists do at[i] = 1 end
  while #merged < n do
    local best, bestId = nil, nil
    for i, list in ipairs(lists) do
      local id = list[at[i]]
      if id and (not bestId or bytesBefore(id, bestId)) then best, bestId = i, id end
    end
    if not best then break end
    merged[#merged + 1] = bestId
    at[best] = at[best] + 1
  end
  return merged
end
local hits = {}
if #words <= 3 then
  local combos = { {} }
  for _ = 1, #words do
    local next = {}
    for _, c in ipairs(combos) do
      for _, w in ipairs(WEIGHTS) do
        local d = { unpack(c) }
        d[#d + 1] = w
        next[#next + 1] = d
      end
    end
    combos = next
  end
  local levels = {}
  for _, c in ipairs(combos) do
    local score = 0
    for _, w in ipairs(c) do score = score + w end
    levels[score] = levels[score] or {}
    table.insert(levels[score], c)
  end
  for score = 3 * #words, #words, -1 do
    local need = wanted - #hits
    if need <= 0 then break end
    if levels[score] and not (afterScore and score > afterScore) then
      local after = nil
      if afterScore and score == afterScore then after = afterId end
      local lists = {}
      for _, c in ipairs(levels[score]) do
        local keys = {}
        for i, w in ipairs(c) do keys[i] = post(words[i], w) end
        lists[#lists + 1] = holdingAll(keys, after, need)
      end
      local found = mergeFirst(lists, need)
      for _, id in ipairs(found) do hits[#hits + 1] = { score, id } end
    end
  end
else
  local rarest, smallest = 1, -1
  for i, word in ipairs(words) do
    local n = 0
    for _, w in ipairs(WEIGHTS) do n = n + redis.call("ZCARD", post(word, w)) end
    if smallest < 0 or n < smallest then rarest, smallest = i, n end
  end
  local scored = {}
  for _, first in ipairs(WEIGHTS) do
    for _, id in ipairs(redis.call("ZRANGE", post(words[rarest], first), "-", "+", "BYLEX")) do
      local score = first
      for i, word in ipairs(words) do
        if i ~= rarest and score then
          local w = nil
          for _, weight in ipairs(WEIGHTS) do
            if holds(word, weight, id) then w = weight break end
          end
          score = w and score + w
        end
      end
      if score and (not afterScore or score < afterScore or (score == afterScore and bytesBefore(afterId, id))) then
        scored[#scored + 1] = { score, id }
      end
    end
  end
  table.sort(scored, function(a, b)
    if a[1] ~= b[1] then return a[1] > b[1] end
    return bytesBefore(a[2], b[2])
  end)
  for i = 1, math.min(wanted, #scored) do hits[#hits + 1] = scored[i] end
end
local rows = {}
for _, hit in ipairs(hits) do
  local summary = redis.call("GET", K.summary(hit[2]))
  if summary then
    local score = string.format("%d", hit[1])
    rows[#rows + 1] = { jlist({ score, jstr(hit[2]) }), string.sub(summary, 1, -2) .. ',"score":' .. score .. "}" }
  end
end
return pageReply(rows, limit)
`;
