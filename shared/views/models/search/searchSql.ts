import { encodeSearchCursor, type SearchPosition } from "../../cursor.ts";
import type { SqlConnection } from "../../stores/sql/connection.ts";
import type { ViewTables } from "../../stores/sql/tables.ts";
import type { StoredRead } from "../../viewStore.ts";
import { pageBody, pageText, withField } from "../bodies.ts";
import type { SqlRead } from "../readModel.ts";

/** What a search reads by: the query's distinct words, and where the page starts. */
export interface SearchQueryPlan {
  /** distinct normalized words; every one must match (AND) */
  terms: string[];
  limit: number;
  after: SearchPosition | null;
}

// The store keeps an impact-ordered inverted index: a row per (word, weight,
// product), the weight 2 for a name word, 1 for a description word, 3 for
// both, so each word's products at one weight come in id order. A product's
// score is the sum of its words' weights, and a page is the best scores first,
// ties by id. For up to `levelledWords` words every combination of weights is
// one subquery walking the rarest of its posting lists in id order and
// probing the others by key, stopping after `limit + 1` hits: the best
// products are read first, and a common word costs a page, not its postings.
// Longer queries walk the postings of their rarest word.

/** Up to this many words a query is read weight combination by combination (3^n of them). */
const levelledWords = 3;
const weights = [3, 2, 1] as const;

/** Every combination of weights for `n` words, best total first. */
function combinations(n: number): number[][] {
  let all: number[][] = [[]];
  for (let i = 0; i < n; i++) all = all.flatMap((c) => weights.map((w) => [...c, w]));
  return all.sort((a, b) => b.reduce((s, w) => s + w, 0) - a.reduce((s, w) => s + w, 0));
}

/**
 * The products of one score level, `need` at most, in id order after `?1`:
 * one subquery per (combination of weights summing to `score`, driving word),
 * of which the caller runs one per combination. Parameters: ?1 the id to
 * continue after ("" from the start), ?2 `need`, ?3… the words, then one flag
 * per subquery.
 */
function levelSql(
  t: ViewTables,
  n: number,
  score: number,
): { text: string; subqueries: Array<[number[], number]> } {
  const subqueries: Array<[number[], number]> = [];
  const parts: string[] = [];
  for (const combination of combinations(n)) {
    if (combination.reduce((s, w) => s + w, 0) !== score) continue;
    for (let driver = 0; driver < n; driver++) {
      const flag = 3 + n + subqueries.length;
      subqueries.push([combination, driver]);
      const probes = combination
        .map((w, i) => [w, i] as const)
        .filter(([, i]) => i !== driver)
        .map(
          ([w, i]) =>
            ` CROSS JOIN ${t.searchPosting} p${i} ON p${i}.product_id = d.product_id AND p${i}.term = ?${3 + i} AND p${i}.weight = ${w}`,
        )
        .join("");
      parts.push(`SELECT * FROM (SELECT d.product_id AS id
        FROM ${t.searchPosting} d${probes}
        WHERE ?${flag} AND d.term = ?${3 + driver} AND d.weight = ${combination[driver]} AND d.product_id > ?1
        ORDER BY d.product_id LIMIT ?2)`);
    }
  }
  const text = `SELECT id FROM (${parts.join(" UNION ALL ")}) ORDER BY id LIMIT ?2`;
  return { text, subqueries };
}

/**
 * Parameters: ?1 the cursor's score, ?2 its id, ?3 the limit + 1, ?4… the
 * words, rarest first: the rarest drives, any weight; the others are probed.
 */
function drivenSql(t: ViewTables, n: number): string {
  const probes = Array.from(
    { length: n - 1 },
    (_, i) =>
      ` CROSS JOIN ${t.searchPosting} p${i + 1} ON p${i + 1}.product_id = d.product_id AND p${i + 1}.term = ?${5 + i}`,
  ).join("");
  const score = ["d.weight", ...Array.from({ length: n - 1 }, (_, i) => `p${i + 1}.weight`)].join(
    " + ",
  );
  return `SELECT id, score FROM (
      SELECT d.product_id AS id, ${score} AS score FROM ${t.searchPosting} d${probes}
      WHERE d.term = ?4
    ) WHERE score < ?1 OR (score = ?1 AND id > ?2)
    ORDER BY score DESC, id LIMIT ?3`;
}

/** Past every score a query can have: "no cursor". */
const noScore = 1_000_000;

/**
 * The search read of one namespace, in one read snapshot: the counts of the
 * words' posting lists (which word drives, which combinations can hold
 * anything), then for up to `levelledWords` words the score levels best
 * first until the page is full, else the rarest word's postings scored; then
 * the page's summaries.
 *
 * @example
 * await searchSql(tables)(db, { terms: ["oak", "lamp"], limit: 20, after: null });
 */
export function searchSql(t: ViewTables): SqlRead<SearchQueryPlan> {
  const levels = new Map<string, ReturnType<typeof levelSql>>();
  const levelOf = (n: number, score: number) => {
    const id = `${n} ${score}`;
    let level = levels.get(id);
    if (level === undefined) {
      level = levelSql(t, n, score);
      levels.set(id, level);
    }
    return level;
  };
  const driven = new Map<number, string>();
  const drivenOf = (n: number) => {
    let text = driven.get(n);
    if (text === undefined) {
      text = drivenSql(t, n);
      driven.set(n, text);
    }
    return text;
  };
  const counts = `SELECT term, weight, n FROM ${t.searchCount}
    WHERE term IN (SELECT value FROM json_each(?)) AND n > 0`;
  const watermark = `SELECT watermark AS w FROM ${t.meta} WHERE id = 1`;
  const summaries = `SELECT product_id AS id, data AS s FROM ${t.summary}
    WHERE product_id IN (SELECT value FROM json_each(?))`;

  return (db: SqlConnection, plan: SearchQueryPlan): Promise<StoredRead> =>
    db.snapshot(async (tx) => {
      const w = Number((await tx.first<{ w: number }>(watermark))?.w ?? 0);
      if (plan.terms.length === 0) return { watermark: w, body: pageText("", null) };
      const sizes = new Map<string, number>();
      for (const r of await tx.all<{ term: string; weight: number; n: number }>(counts, [
        JSON.stringify(plan.terms),
      ])) {
        sizes.set(`${r.weight} ${r.term}`, Number(r.n));
      }
      const size = (term: string, weight: number) => sizes.get(`${weight} ${term}`) ?? 0;
      const total = (term: string) => weights.reduce((s, x) => s + size(term, x), 0);
      const terms = [...plan.terms].sort((a, b) => total(a) - total(b));
      const wanted = plan.limit + 1;
      let hits: Array<{ id: string; score: number }> = [];
      if (terms.length <= levelledWords) {
        const { after } = plan;
        for (let score = 3 * terms.length; score >= terms.length && hits.length < wanted; score--) {
          if (after && score > after.score) continue;
          const level = levelOf(terms.length, score);
          // Of a combination's subqueries only the one driven by its shortest list
          // runs, and none where a list is empty (no product can hold it).
          const flags = level.subqueries.map(([combination, driver]) => {
            const lists = combination.map((x, i) => size(terms[i] ?? "", x));
            const shortest = lists.indexOf(Math.min(...lists));
            return lists.every((l) => l > 0) && shortest === driver ? 1 : 0;
          });
          if (!flags.includes(1)) continue;
          const from = after && score === after.score ? after.id : "";
          const rows = await tx.all<{ id: string }>(level.text, [
            from,
            wanted - hits.length,
            ...terms,
            ...flags,
          ]);
          for (const r of rows) hits.push({ id: String(r.id), score });
        }
      } else {
        const cursor = plan.after === null ? [noScore, ""] : [plan.after.score, plan.after.id];
        const rows = await tx.all<{ id: string; score: number }>(drivenOf(terms.length), [
          ...cursor,
          wanted,
          ...terms,
        ]);
        hits = rows.map((r) => ({ id: String(r.id), score: Number(r.score) }));
      }
      const texts = new Map<string, string>();
      for (const r of await tx.all<{ id: string; s: string }>(summaries, [
        JSON.stringify(hits.map((h) => h.id)),
      ])) {
        texts.set(String(r.id), String(r.s));
      }
      const found = hits.filter((h) => texts.has(h.id));
      const body = pageBody(
        found,
        plan.limit,
        (h) => withField(texts.get(h.id) ?? "{}", "score", h.score),
        (last) => encodeSearchCursor({ score: last.score, id: last.id }),
      );
      return { watermark: w, body };
    });
}
