import { recordKinds } from "../../../projection/records.ts";
import { luaKeys, luaList } from "./keys.ts";
import { luaReplies, replyMark } from "./replies.ts";

// Read scripts: each answers one query in one round trip and in one snapshot
// (a script runs alone), with the watermark it was served at. A read model's
// own script starts with `readPrelude`; the digest's is below.

/**
 * What every read script starts with: the keys (`K`), the reply helpers, the
 * watermark, and the page helpers. `lexPageReply` answers one page of a lex
 * zset of `sortKey NUL productId` members after the sort key `after` ("" for
 * the first page) in the `pagedReply` form: the members' stored summaries
 * spliced as stored, read with one MGET, and the page's last sort key as JSON
 * when rows follow it. `pageReply` answers `rows` (`{ cursor JSON, item
 * JSON }`, `limit + 1` read) in the same form.
 * `bytesBefore` orders ids and values by bytes, which is code-point order
 * (Lua's `<` follows the server's collation).
 */
export const readPrelude = `${luaKeys}${luaReplies}
local watermark = redis.call("GET", K.watermark) or "0"
local function pageText(last, items)
  return ${JSON.stringify(replyMark)} .. watermark .. "\\n" .. last .. "\\n" .. table.concat(items, ",")
end
local function lexPageReply(key, after, limit)
  local from = "-"
  if after ~= "" then from = "[" .. after .. "\\1" end
  local members = redis.call("ZRANGE", key, from, "+", "BYLEX", "LIMIT", 0, limit + 1)
  if #members == 0 then return pageText("null", {}) end
  local keys = {}
  for i, member in ipairs(members) do
    keys[i] = K.summary(string.sub(member, string.find(member, "\\0", 1, true) + 1))
  end
  local summaries = redis.call("MGET", unpack(keys))
  local items, last = {}, nil
  for i, member in ipairs(members) do
    local summary = summaries[i]
    if summary then
      -- a row after a full page: the page's last one continues it
      if #items == limit then
        return pageText(jstr(string.sub(last, 1, string.find(last, "\\0", 1, true) - 1)), items)
      end
      items[#items + 1] = summary
      last = member
    end
  end
  return pageText("null", items)
end
-- rows: { cursor JSON of the row, item JSON }
local function pageReply(rows, limit)
  local items, last = {}, "null"
  for i = 1, math.min(#rows, limit) do items[#items + 1] = rows[i][2] end
  if #rows > limit then last = rows[limit][1] end
  return pageText(last, items)
end
local function bytesBefore(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local function missingReply()
  return ${JSON.stringify(replyMark)} .. watermark .. "\\n" .. "missing" .. "\\n"
end
`;

/**
 * ARGV: prefix, the kind to start at (1-based in `recordKinds` order), the key
 * to continue after within it ("" to start), rows. Walks on into the next
 * kinds until `rows` records are found. Reply: [watermark, [[kind, key,
 * value], …]] in the digest's order: kind, then key bytes (= code points).
 */
export const digestPageLua = `${readPrelude}
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
