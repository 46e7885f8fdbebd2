import { recordKinds } from "../../../projection/records.ts";
import { luaKeys, luaList } from "./keys.ts";
import { luaReplies, replyMark } from "./replies.ts";

// Read scripts: each answers one query in one round trip and in one snapshot
// (a script runs alone), with the watermark it was served at. A read model's
// own script starts with `readPrelude`; the digest's is below.

/**
 * What every read script starts with: the keys (`K`), the reply helpers, the
 * watermark, and the page helpers, each answering in the `pagedReply` form.
 * `summaryPage` answers a page of rows (`limit + 1` read) from their stored
 * summaries, read with one MGET, and the cursor of the page's last row when
 * rows follow it; `lexPageReply` one page of a lex zset of `sortKey NUL
 * productId` members after the sort key `after` ("" for the first page), the
 * summaries spliced as stored; `pageReply` rows of `{ cursor JSON, item JSON }`.
 * `bytesBefore` orders ids and values by bytes, which is code-point order
 * (Lua's `<` follows the server's collation).
 */
export const readPrelude = `${luaKeys}${luaReplies}
local watermark = redis.call("GET", K.watermark) or "0"
local function pageText(last, items)
  return ${JSON.stringify(replyMark)} .. watermark .. "\\n" .. last .. "\\n" .. table.concat(items, ",")
end
-- rows in page order, keys[i] the key of rows[i]'s summary: the page's items
-- (each summary as stored, or item(row, summary); a row whose summary is gone
-- is skipped) and, when a row follows a full page, the cursor of the page's
-- last (cursor(row), as JSON)
local function summaryPage(rows, keys, limit, item, cursor)
  if #rows == 0 then return pageText("null", {}) end
  local summaries = redis.call("MGET", unpack(keys))
  local items, last = {}, nil
  for i, row in ipairs(rows) do
    local summary = summaries[i]
    if summary then
      if #items == limit then return pageText(cursor(last), items) end
      if item then summary = item(row, summary) end
      items[#items + 1] = summary
      last = row
    end
  end
  return pageText("null", items)
end
local function sortKeyCursor(member) return jstr(string.sub(member, 1, string.find(member, "\\0", 1, true) - 1)) end
local function lexPageReply(key, after, limit)
  local from = "-"
  if after ~= "" then from = "[" .. after .. "\\1" end
  local members = redis.call("ZRANGE", key, from, "+", "BYLEX", "LIMIT", 0, limit + 1)
  local keys = {}
  for i, member in ipairs(members) do
    keys[i] = K.summary(string.sub(member, string.find(member, "\\0", 1, true) + 1))
  end
  return summaryPage(members, keys, limit, nil, sortKeyCursor)
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
