import { readPrelude } from "../../stores/redis/readLua.ts";

/**
 * The search on Redis, over the apply script's postings: a lex zset per
 * (weight, word) of the ids holding it (`post:<weight>:<word>`), so each is
 * in id order and ZCARD counts it. Up to three words, the weight
 * combinations are read best total first, each walking its shortest zset from
 * the cursor and probing the others by ZSCORE, stopping once the page is
 * full; longer queries score every id of their rarest word.
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
      local from = "-"
      if afterScore and score == afterScore then from = "(" .. afterId end
      local found = {}
      for _, c in ipairs(levels[score]) do
        local driver, smallest = 0, -1
        for i, w in ipairs(c) do
          local n = redis.call("ZCARD", post(words[i], w))
          if smallest < 0 or n < smallest then driver, smallest = i, n end
        end
        local start, got = from, 0
        while smallest > 0 and got < need do
          local ids = redis.call("ZRANGE", post(words[driver], c[driver]), start, "+", "BYLEX", "LIMIT", 0, 64)
          for _, id in ipairs(ids) do
            local all = true
            for i, w in ipairs(c) do
              if i ~= driver and not holds(words[i], w, id) then all = false break end
            end
            if all then
              found[#found + 1] = id
              got = got + 1
              if got >= need then break end
            end
          end
          if #ids < 64 then break end
          start = "(" .. ids[#ids]
        end
      end
      table.sort(found, bytesBefore)
      for i = 1, math.min(need, #found) do hits[#hits + 1] = { score, found[i] } end
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
