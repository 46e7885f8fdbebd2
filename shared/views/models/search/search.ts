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

/** Postings counted per term when planning; past this a term is simply "common". */
const postingsCap = 1_000;

/**
 * Orders query words rarest first: the rarest one drives the join and the
 * others are probed by primary key, so "item 4242" costs one posting, not
 * every product. Counting is capped, so planning stays cheap.
 */
const rarestSql = (t: ViewTables) =>
  `SELECT value AS t, (SELECT count(*) FROM (SELECT 1 FROM ${t.searchTerm}
    WHERE term = value LIMIT ${postingsCap})) AS n FROM json_each(?)`;

function hitsSql(t: ViewTables, terms: number, after: boolean): string {
  // CROSS JOIN keeps SQLite from reordering: t0, the rarest word, is the outer loop.
  const joins = Array.from(
    { length: terms - 1 },
    (_, i) =>
      ` CROSS JOIN ${t.searchTerm} t${i + 1} ON t${i + 1}.term = ? AND t${i + 1}.product_id = t0.product_id`,
  ).join("");
  const score = Array.from({ length: terms }, (_, i) => `t${i}.weight`).join(" + ");
  return `SELECT m.watermark AS w, h.id AS id, h.score AS score, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT id, score FROM (
        SELECT t0.product_id AS id, ${score} AS score
        FROM ${t.searchTerm} t0${joins}
        WHERE t0.term = ?
      ) ${after ? "WHERE score < ? OR (score = ? AND id > ?)" : ""}
      ORDER BY score DESC, id LIMIT ?
    ) h ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = h.id
    WHERE m.id = 1
    ORDER BY h.score DESC, h.id`;
}

/**
 * ARGV: prefix, limit, the cursor's score and id ("" for the first page), the
 * query's words. Walks the postings of the rarest word and probes the others
 * by ZSCORE, keeping only the best `limit + 1` hits. Ids compare byte by
 * byte: Lua's `<` on strings follows the server's LC_COLLATE, and only byte
 * order equals the code-point order of the cursor.
 */
const lua = `${readPrelude}
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
local limit = tonumber(ARGV[2])
local rows, afterScore, afterId = limit + 1, tonumber(ARGV[3]), ARGV[4]
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
  local summary = redis.call("GET", K.summary(hit[2]))
  if summary then
    local score = string.format("%d", hit[1])
    hits[#hits + 1] = { jlist({ score, jstr(hit[2]) }), string.sub(summary, 1, -2) .. ',"score":' .. score .. "}" }
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
  sql: (t) => {
    const rarest = rarestSql(t);
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
      let terms = plan.terms;
      if (terms.length > 1) {
        const counts = await db.all<{ t: string; n: number }>(rarest, [JSON.stringify(terms)]);
        const postings = new Map(counts.map((r) => [String(r.t), Number(r.n)]));
        terms = [...terms].sort((a, b) => (postings.get(a) ?? 0) - (postings.get(b) ?? 0));
      }
      const { after } = plan;
      const keyset = after === null ? [] : [after.score, after.score, after.id];
      const rows = await db.all<{ w: number; id: string | null; score: number; s: string | null }>(
        textOf(terms.length, after !== null),
        [...terms.slice(1), terms[0] ?? "", ...keyset, plan.limit + 1],
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
