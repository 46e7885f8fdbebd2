import { z } from "zod";
import { ValidationError } from "../../../errors/index.ts";
import { encodeSearchCursor, type SearchPosition } from "../../cursor.ts";
import { compareSearchHits, isAfter, searchPage, searchPlan } from "../../queries.ts";
import type { Page, SearchHit } from "../../readModels.ts";
import { readPrelude } from "../../stores/redis/readLua.ts";
import { pagedReply, watermarkFrom } from "../../stores/redis/replies.ts";
import type { ViewTables } from "../../stores/sql/tables.ts";
import { pageBody, pageText, withField } from "../bodies.ts";
import { examplePageSize, mentionsOf } from "../examples.ts";
import { cursorDoc, cursorOf, limitDoc, limitOf, qDoc, queryString } from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";

export interface SearchInput {
  q: string;
  limit?: number;
  cursor?: string;
}

export interface SearchQueryPlan {
  /** distinct normalized words; every one must match (AND) */
  terms: string[];
  limit: number;
  after: SearchPosition | null;
}

// SQL: a full-text index (FTS5) over each active product's name and
// description words, kept by triggers on the store's search table, finds the
// products holding every query word; their score is then counted from the
// word lists themselves. FTS5's ascii tokenizer splits only on ASCII
// punctuation and spaces, and the words are already normalized (text.ts), so
// its tokens are the projection's words; it does fold ASCII case, which the
// words never differ by except after compatibility decomposition, so each
// word is checked again exactly.

const ftsTable = (t: ViewTables) => `${t.search}_fts`;

const ftsIndex = (t: ViewTables) => {
  const fts = ftsTable(t);
  return [
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${fts} USING fts5(n, d, content='${t.search}', content_rowid='rowid', tokenize='ascii')`,
    `CREATE TRIGGER IF NOT EXISTS ${fts}_insert AFTER INSERT ON ${t.search} BEGIN
      INSERT INTO ${fts} (rowid, n, d) VALUES (new.rowid, new.n, new.d); END`,
    `CREATE TRIGGER IF NOT EXISTS ${fts}_delete AFTER DELETE ON ${t.search} BEGIN
      INSERT INTO ${fts} (${fts}, rowid, n, d) VALUES ('delete', old.rowid, old.n, old.d); END`,
  ];
};

/** `" word "`: a word as it stands in a word list, between spaces. */
const spaced = (term: string) => ` ${term} `;

/** A phrase per word, ANDed: FTS5's syntax for "every one of these words". */
const ftsQuery = (terms: readonly string[]) => terms.map((t) => `"${t}"`).join(" ");

/**
 * Parameters: ?1 the FTS5 query, ?2 the limit + 1, ?3… the spaced words,
 * then the cursor's score, score and id.
 */
function hitsSql(t: ViewTables, terms: number, after: boolean): string {
  const word = (i: number) => `?${i + 3}`;
  const each = Array.from({ length: terms }, (_, i) => i);
  const score = each
    .map((i) => `2 * (instr(n, ${word(i)}) > 0) + (instr(d, ${word(i)}) > 0)`)
    .join(" + ");
  const exact = each.map((i) => `(instr(n, ${word(i)}) > 0 OR instr(d, ${word(i)}) > 0)`);
  const cursor = `?${terms + 3}`;
  const keyset = after
    ? `WHERE score < ${cursor} OR (score = ${cursor} AND id > ?${terms + 4})`
    : "";
  return `SELECT m.watermark AS w, h.id AS id, h.score AS score, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT id, score FROM (
        SELECT product_id AS id, ${score} AS score FROM ${t.search}
        WHERE rowid IN (SELECT rowid FROM ${ftsTable(t)} WHERE ${ftsTable(t)} MATCH ?1)
          AND ${exact.join(" AND ")}
      ) ${keyset}
      ORDER BY score DESC, id LIMIT ?2
    ) h ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = h.id
    WHERE m.id = 1
    ORDER BY h.score DESC, h.id`;
}

/**
 * ARGV: prefix, limit, the cursor's score and id ("" for the first page), the
 * query's words. Each word's zset holds its products scored by the negated
 * weight, so a zset, and ZINTER's sum over several, is in relevance order:
 * score descending, ties by id bytes (= code points). One word is read by
 * rank; several are intersected by Redis (C, not a Lua walk of postings),
 * then the page is cut after the cursor by binary search.
 */
const lua = `${readPrelude}
local limit = tonumber(ARGV[2])
local afterScore, afterId = ARGV[3], ARGV[4]
local words = {}
for i = 5, #ARGV do words[#words + 1] = K.term(ARGV[i]) end
-- (score, id) pairs compare as the zset orders them: score, then id bytes
local function precedes(s1, id1, s2, id2)
  if s1 ~= s2 then return s1 < s2 end
  if id1 == id2 then return false end
  for i = 1, math.min(#id1, #id2) do
    local x, y = string.byte(id1, i), string.byte(id2, i)
    if x ~= y then return x < y end
  end
  return #id1 < #id2
end
local flat
if #words == 1 then
  local start = 0
  if afterScore ~= "" then
    local score = -tonumber(afterScore)
    local own = redis.call("ZSCORE", words[1], afterId)
    if own and tonumber(own) == score then
      start = redis.call("ZRANK", words[1], afterId) + 1
    else
      -- the cursor's product moved: count what precedes its old place
      start = redis.call("ZCOUNT", words[1], "-inf", "(" .. score)
      for _, id in ipairs(redis.call("ZRANGE", words[1], score, score, "BYSCORE")) do
        if not precedes(score, id, score, afterId) and id ~= afterId then break end
        start = start + 1
      end
    end
  end
  flat = redis.call("ZRANGE", words[1], start, start + limit, "WITHSCORES")
else
  flat = {}
  local command = { "ZINTER", #words }
  for _, word in ipairs(words) do command[#command + 1] = word end
  command[#command + 1] = "WITHSCORES"
  local ranked = redis.call(unpack(command))
  local lo, hi = 1, #ranked / 2 + 1
  if afterScore ~= "" then
    local score = -tonumber(afterScore)
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local id, s = ranked[2 * mid - 1], tonumber(ranked[2 * mid])
      if precedes(score, afterId, s, id) then hi = mid else lo = mid + 1 end
    end
  end
  for i = lo, math.min(lo + limit, #ranked / 2) do
    flat[#flat + 1] = ranked[2 * i - 1]
    flat[#flat + 1] = ranked[2 * i]
  end
end
local hits = {}
for j = 1, #flat, 2 do
  local id, score = flat[j], string.format("%d", -tonumber(flat[j + 1]))
  local summary = redis.call("GET", K.summary(id))
  if summary then
    hits[#hits + 1] = { jlist({ score, jstr(id) }), string.sub(summary, 1, -2) .. ',"score":' .. score .. "}" }
  end
end
return pageReply(hits, limit)
`;

const cursorOfHit = (score: number, id: string) => encodeSearchCursor({ score, id });

/** Where to continue after a page's last hit, from a store's `[score, id]`. */
const cursorOfLast = (last: string): string | null => {
  const position = JSON.parse(last) as [number, string] | null;
  return position === null ? null : cursorOfHit(position[0], position[1]);
};

/**
 * Products with every query word in their name or description, name words
 * weighing double; the best first, ties by id; keyset-paginated by (score, id).
 */
export const search = readModel<SearchInput, SearchQueryPlan, Page<SearchHit>, "search", "page">({
  name: "search",
  version: 1,
  key: "page",
  path: "/search",
  summary: "all query words in name or description",
  parameters: [qDoc, limitDoc, cursorDoc],
  statuses: [400, 422],
  responseName: "SearchResponse",
  data: pageSchema(productSummarySchema.extend({ score: z.number() })),
  notFound: null,
  input(req) {
    const q = (req.query("q") ?? "").trim();
    if (q.length === 0 || q.length > 200) {
      throw new ValidationError("q must be 1 to 200 characters", [
        { path: "q", message: "required" },
      ]);
    }
    return { q, limit: limitOf(req), cursor: cursorOf(req) };
  },
  url: (input) => `/search${queryString({ ...input })}`,
  plan: (input) => searchPlan({ q: input.q, limit: input.limit ?? 20, cursor: input.cursor }),
  examples: (events) => mentionsOf(events).searches.map((q) => ({ q, limit: examplePageSize })),
  indexes: { sql: ftsIndex },
  sql: (t) => {
    const texts = new Map<string, string>();
    const textOf = (terms: number, after: boolean) => {
      const id = `${terms} ${after}`;
      let text = texts.get(id);
      if (text === undefined) {
        text = hitsSql(t, terms, after);
        texts.set(id, text);
      }
      return text;
    };
    const watermarkOnly = `SELECT watermark AS w FROM ${t.meta} WHERE id = 1`;
    return async (db, plan) => {
      if (plan.terms.length === 0) {
        const [row] = await db.all<{ w: number }>(watermarkOnly);
        return { watermark: Number(row?.w ?? 0), body: pageText("", null) };
      }
      const { terms, after } = plan;
      const keyset = after === null ? [] : [after.score, after.id];
      const rows = await db.all<{ w: number; id: string | null; score: number; s: string | null }>(
        textOf(terms.length, after !== null),
        [ftsQuery(terms), plan.limit + 1, ...terms.map(spaced), ...keyset],
      );
      const hits = rows.filter((r) => r.id !== null && r.s !== null);
      const body = pageBody(
        hits,
        plan.limit,
        (r) => withField(r.s ?? "{}", "score", Number(r.score)),
        (last) => cursorOfHit(Number(last.score), String(last.id)),
      );
      return { watermark: Number(rows[0]?.w ?? 0), body };
    };
  },
  redis: {
    lua,
    async read({ redis, keys, script }, plan) {
      if (plan.terms.length === 0) {
        return {
          watermark: watermarkFrom(await redis.get(keys.watermark)),
          body: pageText("", null),
        };
      }
      const after = plan.after === null ? ["", ""] : [String(plan.after.score), plan.after.id];
      const args = [keys.prefix, String(plan.limit), ...after, ...plan.terms];
      const reply = pagedReply(await script?.exec([], args));
      return {
        watermark: reply.watermark,
        body: pageText(reply.items, cursorOfLast(reply.last)),
      };
    },
  },
  memory(records, plan) {
    const hits: SearchHit[] = [];
    for (const entry of plan.terms.length > 0 ? records.tables.search.values() : []) {
      const weights = new Map(entry.terms);
      if (!plan.terms.every((t) => weights.has(t))) continue;
      const score = plan.terms.reduce((s, t) => s + (weights.get(t) ?? 0), 0);
      const summary = records.tables.summary.get(entry.id);
      if (summary && isAfter({ score, id: entry.id }, plan.after)) hits.push({ ...summary, score });
    }
    return searchPage(plan, hits.sort(compareSearchHits).slice(0, plan.limit + 1));
  },
});
