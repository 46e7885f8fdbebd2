import { readPrelude } from "../../stores/redis/readLua.ts";

/**
 * The search on Redis, over the apply script's postings: a lex zset per
 * (weight, word) of the ids holding it (`post:<weight>:<word>`), so each is
 * in id order and ZCARD counts it. Up to three words, the weight
 * combinations are read best total first, a total's combinations merged in id
 * order, stopping once the page is full (`holdingAll` says how a
 * combination's ids are found). Longer queries score every id of their rarest
 * word, a step of ids at a time against each other word's zsets (ZMSCORE),
 * rarest first, dropping the ids a word misses.
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
      -- every posting's score is 0, so the intersection comes in id order:
      -- the ids after the walk's last start where a binary search puts it
      local all = redis.call("ZINTER", #keys, unpack(keys))
      local lo, hi = 1, #all + 1
      while lo < hi do
        local mid = math.floor((lo + hi) / 2)
        if bytesBefore(last, all[mid]) then hi = mid else lo = mid + 1 end
      end
      for i = lo, #all do
        ids[#ids + 1] = all[i]
        if #ids >= n then break end
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
  local function total(word)
    local n = 0
    for _, w in ipairs(WEIGHTS) do n = n + size(post(word, w)) end
    return n
  end
  local order = {}
  for i = 1, #words do order[i] = i end
  table.sort(order, function(x, y) return total(words[x]) < total(words[y]) end)
  -- byFirst[w][score]: the hits whose rarest word has weight w, in id order
  local byFirst, top = {}, 0
  for _, first in ipairs(WEIGHTS) do
    byFirst[first] = {}
    local start, step = "-", 256
    while true do
      local batch = redis.call("ZRANGE", post(words[order[1]], first), start, "+", "BYLEX", "LIMIT", 0, step)
      local alive = {}
      for k, id in ipairs(batch) do alive[k] = { id, first } end
      for o = 2, #order do
        if #alive == 0 then break end
        local members = {}
        for k, hit in ipairs(alive) do members[k] = hit[1] end
        local held = {}
        for _, w in ipairs(WEIGHTS) do
          if size(post(words[order[o]], w)) > 0 then held[w] = redis.call("ZMSCORE", post(words[order[o]], w), unpack(members)) end
        end
        local kept = {}
        for k, hit in ipairs(alive) do
          for _, w in ipairs(WEIGHTS) do
            if held[w] and held[w][k] then
              hit[2] = hit[2] + w
              kept[#kept + 1] = hit
              break
            end
          end
        end
        alive = kept
      end
      for _, hit in ipairs(alive) do
        local id, score = hit[1], hit[2]
        if not afterScore or score < afterScore or (score == afterScore and bytesBefore(afterId, id)) then
          local ids = byFirst[first][score] or {}
          byFirst[first][score] = ids
          ids[#ids + 1] = id
          if score > top then top = score end
        end
      end
      if #batch < step then break end
      start = "(" .. batch[#batch]
    end
  end
  for score = top, #words, -1 do
    local need = wanted - #hits
    if need <= 0 then break end
    local lists = {}
    for _, first in ipairs(WEIGHTS) do lists[#lists + 1] = byFirst[first][score] or {} end
    for _, id in ipairs(mergeFirst(lists, need)) do hits[#hits + 1] = { score, id } end
  end
end
local keys = {}
for i, hit in ipairs(hits) do keys[i] = K.summary(hit[2]) end
-- each hit as its summary with its score; a cursor says a hit's score and id
return summaryPage(hits, keys, limit, function(hit, summary)
  return string.sub(summary, 1, -2) .. ',"score":' .. string.format("%d", hit[1]) .. "}"
end, function(hit)
  return jlist({ string.format("%d", hit[1]), jstr(hit[2]) })
end)
`;
