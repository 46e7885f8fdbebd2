import { luaKeys } from "./keys.ts";
import { recordWritersLua } from "./recordWritersLua.ts";

/**
 * The one script that writes views. KEYS[1] is the watermark key; ARGV is
 * prefix, expected watermark, new watermark, staging list ("" for none), then
 * the ops: `u kind key json hash` or `d kind key`, inline or staged in the
 * list, `hash` being the record's `recordHash`, which the digest's running
 * sum takes in (and the old one's out) in the same script.
 *
 * Atomicity: Redis runs a script alone, and this one first checks the
 * watermark (the compare-and-set), then reads every old record it must
 * un-index and plans all writes, and only then writes. Redis never rolls a
 * script back, so everything that can fail (a bad op, corrupt old JSON) fails
 * before the first write. Ops are read one at a time in loops, never with
 * unpack(), which breaks past ~8,000 values (LUAI_MAXCSTACK); a staged list is
 * read 1,000 entries per LRANGE.
 *
 * Replies "applied", or "stale:<watermark>" when another apply got there first.
 */
export const applyLua = `${luaKeys}
local current = redis.call("GET", KEYS[1]) or "0"
local staging = ARGV[4]
if current ~= ARGV[2] then
  if staging ~= "" then redis.call("DEL", staging) end
  return "stale:" .. current
end

local nextArg
if staging == "" then
  local at = 4
  nextArg = function() at = at + 1 return ARGV[at] end
else
  local page, at, offset = {}, 1, 0
  nextArg = function()
    if at > #page then
      page = redis.call("LRANGE", staging, offset, offset + 999)
      offset, at = offset + #page, 1
    end
    local v = page[at]
    at = at + 1
    return v
  end
end

local writes = {}
-- A field missing from a record would turn into a malformed write half-way
-- through the writes; checking each one here keeps every failure up front.
local function later(...)
  local w = { ... }
  for i = 1, select("#", ...) do
    local t = type(w[i])
    if t ~= "string" and t ~= "number" then
      error("view apply: a " .. tostring(w[1]) .. " argument is " .. t)
    end
  end
  writes[#writes + 1] = w
end
local function indexed(kind, key, present)
  if present then later("ZADD", K.index(kind), 0, key) else later("ZREM", K.index(kind), key) end
end
local function defer(fn) writes[#writes + 1] = fn end
local function adjust(key, field, delta)
  defer(function()
    if redis.call("HINCRBY", key, field, delta) <= 0 then redis.call("HDEL", key, field) end
  end)
end
local stored = redis.call
${recordWritersLua()}

-- The digest's running sum (digest.ts): each record's hash leaves it when
-- the record changes or goes, and the new one joins; XOR, 32 bits at a time.
local function words(hash)
  if type(hash) ~= "string" or not string.match(hash, "^%x+$") or #hash ~= 32 then
    error("view apply: a record hash is not 32 hex digits")
  end
  local w = {}
  for i = 0, 3 do w[i + 1] = tonumber(string.sub(hash, 8 * i + 1, 8 * i + 8), 16) end
  return w
end
-- kept as "x" and the hex digits: not JSON, so no client ever parses it as a number
local kept = redis.call("GET", K.digest)
local sum = words(kept and string.sub(kept, 2) or string.rep("0", 32))
local function fold(hash)
  local w = words(hash)
  for i = 1, 4 do sum[i] = bit.bxor(sum[i], w[i]) end
end
local changed = false

while true do
  local op = nextArg()
  if not op then break end
  local kind, key = nextArg(), nextArg()
  local json, hash = nil, nil
  if op == "u" then json, hash = nextArg(), nextArg() elseif op ~= "d" then
    return redis.error_reply("view apply: unknown op " .. tostring(op))
  end
  local handle = handlers[kind]
  if not handle or not key or (op == "u" and not (json and hash)) then
    return redis.error_reply("view apply: malformed op for kind " .. tostring(kind))
  end
  handle(key, json)
  indexed(kind, key, json ~= nil)
  local old = redis.call("HGET", K.hashes(kind), key)
  if old then fold(old) end
  if hash then
    fold(hash)
    later("HSET", K.hashes(kind), key, hash)
  elseif old then
    later("HDEL", K.hashes(kind), key)
  end
  changed = true
end
if changed then
  local hex = "x"
  for i = 1, 4 do hex = hex .. bit.tohex(sum[i], 8) end
  later("SET", K.digest, hex)
end

for i = 1, #writes do
  local w = writes[i]
  if type(w) == "function" then w() else redis.call(unpack(w)) end
end
if staging ~= "" then redis.call("DEL", staging) end
redis.call("SET", KEYS[1], ARGV[3])
return "applied"
`;
