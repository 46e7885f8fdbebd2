import { z } from "zod";
import { readScopes } from "../../../consistency/readScopes.ts";
import { ValidationError } from "../../../errors/index.ts";
import { encodeSearchCursor } from "../../cursor.ts";
import { compareSearchHits, isAfter, searchPage, searchPlan } from "../../queries.ts";
import type { Page, SearchHit } from "../../readModels.ts";
import { pagedReply, watermarkFrom } from "../../stores/redis/replies.ts";
import { pageText } from "../bodies.ts";
import { examplePageSize, mentionsOf } from "../examples.ts";
import { cursorDoc, cursorOf, limitDoc, limitOf, qDoc, queryString } from "../params.ts";
import { readModel } from "../readModel.ts";
import { pageSchema, productSummarySchema } from "../schemas.ts";
import { searchLua } from "./searchLua.ts";
import { type SearchQueryPlan, searchSql } from "./searchSql.ts";

export interface SearchInput {
  q: string;
  limit?: number;
  cursor?: string;
}

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
  scopes: () => [readScopes.search],
  examples: (events) => mentionsOf(events).searches.map((q) => ({ q, limit: examplePageSize })),
  sql: searchSql,
  redis: {
    lua: searchLua,
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
