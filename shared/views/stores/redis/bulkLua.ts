import { recordKinds } from "../../../projection/records.ts";
import { bulkLoadingWatermark } from "../../bulkBuild.ts";
import { luaKeys, luaList } from "./keys.ts";
import { recordWritersLua } from "./recordWritersLua.ts";

// The bulk load's scripts (bulkLoad.ts). ARGV always starts with the prefix
// and the load's token; every script but the first stops with "superseded"
// when the token is no longer the namespace's, so a load a newer one started
// over can never write into it.

const loading = JSON.stringify(String(bulkLoadingWatermark));

/**
 * Marks the namespace loading, if it is at 0 or loading already (a crash cut
 * a load short): the sentinel watermark, which no apply touches, and the
 * load's token. Replies "ok", or "at:<watermark>" and changes nothing.
 */
export const bulkBeginLua = `${luaKeys}
local at = redis.call("GET", K.watermark) or "0"
if at ~= "0" and at ~= ${loading} then return "at:" .. at end
redis.call("SET", K.watermark, ${loading})
redis.call("SET", K.bulkLoad, ARGV[2])
redis.call("DEL", K.digest)
return "ok"
`;

/**
 * Deletes up to ARGV[3] keys of what a load a crash cut short wrote: first
 * the records the key indexes list, then the keys the load tracked. Replies
 * "more" until nothing is left, then "done". Pages, so that emptying a big
 * namespace never holds Redis for long.
 */
export const bulkClearLua = `${luaKeys}
if redis.call("GET", K.bulkLoad) ~= ARGV[2] then return "superseded" end
local rows = tonumber(ARGV[3])
for _, kind in ipairs(${luaList(recordKinds)}) do
  local index = K.index(kind)
  local keys = redis.call("ZRANGE", index, 0, rows - 1)
  if #keys > 0 then
    -- categories are fields of one hash, which the load tracked
    if kind ~= "category" then
      local doomed = {}
      for i, key in ipairs(keys) do doomed[i] = K[kind](key) end
      redis.call("UNLINK", unpack(doomed))
    end
    redis.call("ZREMRANGEBYRANK", index, 0, #keys - 1)
    return "more"
  end
end
local tracked = redis.call("SPOP", K.bulkKeys, rows)
if #tracked > 0 then
  redis.call("UNLINK", unpack(tracked))
  return "more"
end
return "done"
`;

/**
 * Writes one part of the records. ARGV after prefix and token holds the
 * part's number, then one record each, packed as `kind NUL hash json NUL key` (bulkLoad.ts): five
 * args per record cost the REST server more than the split costs here, and
 * JSON text never holds a raw NUL, so the key (last) may hold anything.
 *
 * The namespace was emptied and each record comes once, so nothing old is
 * read or un-indexed; the writes an apply makes one by one are grouped by
 * key into variadic commands (one ZADD per zset, MSETs for the strings),
 * which is what makes it fast. Every key written besides the records goes
 * into the tracked set first. The kept digest is the caller's: it sums the
 * hashes and sets it last.
 */
export const bulkChunkLua = `${luaKeys}
if redis.call("GET", K.bulkLoad) ~= ARGV[2] then return "superseded" end
-- A part the client sends again (its retry after a lost reply) is written once:
-- its facet counts are increments, which a second run would double.
local parts = K.bulkLoad .. ":parts"
if redis.call("SADD", parts, ARGV[3]) == 0 then return "written" end
redis.call("SADD", K.bulkKeys, parts)
local zadds, hsets, sadds, counts, sets = {}, {}, {}, {}, {}
local function listOf(map, key)
  local list = map[key]
  if not list then
    list = {}
    map[key] = list
  end
  return list
end
-- A field missing from a record would leave a hole that shifts every pair
-- after it, so it fails here, before any write.
local function later(cmd, key, a, b)
  if a == nil or (b == nil and cmd ~= "SET" and cmd ~= "SADD") then
    error("bulk load: a malformed " .. tostring(cmd) .. " for " .. tostring(key))
  end
  if cmd == "ZADD" or cmd == "HSET" then
    local list = listOf(cmd == "ZADD" and zadds or hsets, key)
    local n = #list
    list[n + 1], list[n + 2] = a, b
  elseif cmd == "SET" then
    local n = #sets
    sets[n + 1], sets[n + 2] = key, a
  elseif cmd == "SADD" then
    local list = listOf(sadds, key)
    list[#list + 1] = a
  else
    error("bulk load: a " .. cmd .. " in a namespace being built from empty")
  end
end
local function defer() error("bulk load: a record replaced another") end
local function adjust(key, field, delta)
  local values = listOf(counts, key)
  values[field] = (values[field] or 0) + delta
end
local function stored() return false end
${recordWritersLua()}

local indexes, hashes = {}, {}
for kind in pairs(handlers) do
  indexes[kind], hashes[kind] = listOf(zadds, K.index(kind)), listOf(hsets, K.hashes(kind))
end
local find, sub = string.find, string.sub
for at = 4, #ARGV do
  local packed = ARGV[at]
  local a = find(packed, "\\0", 1, true)
  local c = a and find(packed, "\\0", a + 33, true)
  local kind = a and sub(packed, 1, a - 1)
  local handle = c and handlers[kind]
  if not handle then return redis.error_reply("bulk load: a malformed record at " .. at) end
  local key = sub(packed, c + 1)
  handle(key, sub(packed, a + 33, c - 1))
  local index, hash = indexes[kind], hashes[kind]
  local n = #index
  index[n + 1], index[n + 2] = 0, key
  n = #hash
  hash[n + 1], hash[n + 2] = key, sub(packed, a + 1, a + 32)
end

-- unpack() breaks past ~8,000 values (LUAI_MAXCSTACK): variadic calls go in slices
local slice = 4000
local function each(cmd, key, list)
  for i = 1, #list, slice do
    local last = math.min(i + slice - 1, #list)
    if key then redis.call(cmd, key, unpack(list, i, last)) else redis.call(cmd, unpack(list, i, last)) end
  end
end
local tracked = {}
for _, map in ipairs({ zadds, hsets, sadds, counts }) do
  for key, list in pairs(map) do
    if next(list) then tracked[#tracked + 1] = key end
  end
end
each("SADD", K.bulkKeys, tracked)
for key, list in pairs(zadds) do each("ZADD", key, list) end
for key, list in pairs(hsets) do each("HSET", key, list) end
for key, list in pairs(sadds) do each("SADD", key, list) end
each("MSET", nil, sets)
for key, values in pairs(counts) do
  for field, n in pairs(values) do
    if n > 0 then redis.call("HINCRBY", key, field, n) end
  end
end
return "written"
`;

/** ARGV after prefix and token: watermark, kept digest. The watermark comes last, as it does in an apply. */
export const bulkFinishLua = `${luaKeys}
if redis.call("GET", K.bulkLoad) ~= ARGV[2] then return "superseded" end
redis.call("SET", K.digest, ARGV[4])
redis.call("DEL", K.bulkLoad)
redis.call("UNLINK", K.bulkKeys, K.bulkLoad .. ":parts")
redis.call("SET", K.watermark, ARGV[3])
return "loaded"
`;
