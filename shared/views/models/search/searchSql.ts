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
 * How a combination of weights is read: `driver` walks one word's list in id
 * order and probes the others by key (cheap when that list is much the
 * shortest), or `merge` walks all lists at once (SQLite's merge INTERSECT,
 * cheap when they are alike: a probe costs about five steps of a walk).
 */
type Strategy = { driver: number } | "merge";

/**
 * The products of one score level, `need` at most, in id order after `?1`,
 * with their summaries: one subquery per (combination of weights summing to
 * `score`, strategy), of which the caller runs one per combination.
 * Parameters: ?1 the id to continue after ("" from the start), ?2 `need`,
 * ?3… the words, then one flag per subquery.
 */
function levelSql(t: ViewTables, n: number, score: number): Level {
  const subqueries: Array<[number[], Strategy]> = [];
  const parts: string[] = [];
  const word = (i: number) => `?${3 + i}`;
  for (const combination of combinations(n)) {
    if (combination.reduce((s, w) => s + w, 0) !== score) continue;
    const strategies: Strategy[] = [
      ...Array.from({ length: n }, (_, driver) => ({ driver })),
      ...(n > 1 ? ["merge" as const] : []),
    ];
    for (const strategy of strategies) {
      const flag = `?${3 + n + subqueries.length}`;
      subqueries.push([combination, strategy]);
      if (strategy === "merge") {
        const arms = combination.map(
          (w, i) =>
            `SELECT product_id FROM ${t.searchPosting} WHERE ${flag} AND term = ${word(i)} AND weight = ${w} AND product_id > ?1`,
        );
        // named as the other subqueries' column: whichever comes first names the compound's
        parts.push(
          `SELECT product_id AS id FROM (${arms.join(" INTERSECT ")} ORDER BY 1 LIMIT ?2)`,
        );
        continue;
      }
      const { driver } = strategy;
      const probes = combination
        .map((w, i) => [w, i] as const)
        .filter(([, i]) => i !== driver)
        .map(
          ([w, i]) =>
            ` CROSS JOIN ${t.searchPosting} p${i} ON p${i}.product_id = d.product_id AND p${i}.term = ${word(i)} AND p${i}.weight = ${w}`,
        )
        .join("");
      parts.push(`SELECT * FROM (SELECT d.product_id AS id
        FROM ${t.searchPosting} d${probes}
        WHERE ${flag} AND d.term = ${word(driver)} AND d.weight = ${combination[driver]} AND d.product_id > ?1
        ORDER BY d.product_id LIMIT ?2)`);
    }
  }
  // The compound's own ORDER BY … LIMIT is a merge of its ordered arms,
  // pulled lazily: the level stops at `need` hits in id order across all its
  // combinations. Every summary is of an active product, as every posting
  // is: joining keeps the order.
  const compound = (arms: readonly string[]) => `SELECT h.id AS id, s.data AS s FROM (
      ${arms.join(" UNION ALL ")} ORDER BY 1 LIMIT ?2
    ) h JOIN ${t.summary} s ON s.product_id = h.id ORDER BY h.id`;
  // every arm of a merge subquery carries the flag
  const flagged = (k: number) => new RegExp(`\\?${3 + n + k}(?!\\d)`, "g");
  return {
    text: compound(parts),
    subqueries,
    // a subquery on its own, switched on: its flag parameter made the constant 1
    only: (chosen) => compound(chosen.map((k) => (parts[k] ?? "").replace(flagged(k), "1"))),
  };
}

interface Level {
  /** every subquery, each switched on by its flag parameter */
  text: string;
  subqueries: Array<[number[], Strategy]>;
  /** the chosen subqueries alone, no flag parameters: for bindings with a low compound limit */
  only(chosen: readonly number[]): string;
}

/** What a probe costs in steps of a walk along a list (measured: 0.3 µs against 0.06 µs). */
const probeSteps = 5;

/** The cheaper way to read a combination whose lists have these sizes (none empty). */
function strategyFor(lists: readonly number[]): Strategy {
  const shortest = Math.min(...lists);
  const walkAll = lists.reduce((s, l) => s + l, 0);
  if (lists.length > 1 && walkAll < probeSteps * shortest * (lists.length - 1)) return "merge";
  return { driver: lists.indexOf(shortest) };
}

/**
 * Parameters: ?1 the cursor's score, ?2 its id, ?3 the limit + 1, ?4… the
 * words, rarest first: the rarest drives, any weight; the others are probed.
 */
function drivenSql(t: ViewTables, n: number): string {
  // every weight named, so each probe is a seek of the postings' key (term, weight,
  // product) per weight, not a walk of the word's whole list
  const anyWeight = weights.join(", ");
  const probes = Array.from(
    { length: n - 1 },
    (_, i) =>
      ` CROSS JOIN ${t.searchPosting} p${i + 1} ON p${i + 1}.product_id = d.product_id AND p${i + 1}.term = ?${5 + i} AND p${i + 1}.weight IN (${anyWeight})`,
  ).join("");
  const score = ["d.weight", ...Array.from({ length: n - 1 }, (_, i) => `p${i + 1}.weight`)].join(
    " + ",
  );
  return `SELECT h.id AS id, h.score AS score, s.data AS s FROM (
      SELECT id, score FROM (
        SELECT d.product_id AS id, ${score} AS score FROM ${t.searchPosting} d${probes}
        WHERE d.term = ?4
      ) WHERE score < ?1 OR (score = ?1 AND id > ?2)
      ORDER BY score DESC, id LIMIT ?3
    ) h JOIN ${t.summary} s ON s.product_id = h.id
    ORDER BY h.score DESC, h.id`;
}

/**
 * A score level's hits in id order, `args[1]` at most. SQLite takes the whole
 * compound with flags; D1 allows 5 terms in a compound SELECT
 * (`maxCompoundSelect`), so there only the chosen subqueries run, in groups
 * of that many, their hits merged by id here as the compound's ORDER BY
 * would (ids are ASCII: code-unit order is SQLite's byte order).
 */
async function levelRows(
  tx: SqlConnection,
  level: Level,
  flags: readonly number[],
  args: [from: string, need: number, ...terms: string[]],
): Promise<Array<{ id: string; s: string }>> {
  const limit = tx.maxCompoundSelect ?? Number.POSITIVE_INFINITY;
  if (level.subqueries.length <= limit) return tx.all(level.text, [...args, ...flags]);
  const chosen = flags.flatMap((f, k) => (f === 1 ? [k] : []));
  const rows: Array<{ id: string; s: string }> = [];
  for (let i = 0; i < chosen.length; i += limit) {
    rows.push(
      ...(await tx.all<{ id: string; s: string }>(level.only(chosen.slice(i, i + limit)), args)),
    );
  }
  rows.sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
  return rows.slice(0, args[1]);
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
  // The watermark rides on a row of its own, before the counts of the words' lists.
  const counts = `SELECT watermark AS w, NULL AS term, NULL AS weight, NULL AS n FROM ${t.meta} WHERE id = 1
    UNION ALL SELECT NULL, term, weight, n FROM ${t.searchCount}
    WHERE term IN (SELECT value FROM json_each(?)) AND n > 0`;

  return (db: SqlConnection, plan: SearchQueryPlan): Promise<StoredRead> =>
    db.snapshot(async (tx) => {
      let w = 0;
      const sizes = new Map<string, number>();
      for (const r of await tx.all<{
        w: number | null;
        term: string | null;
        weight: number;
        n: number;
      }>(counts, [JSON.stringify(plan.terms)])) {
        if (r.w !== null) w = Number(r.w);
        else sizes.set(`${r.weight} ${r.term}`, Number(r.n));
      }
      if (plan.terms.length === 0) return { watermark: w, body: pageText("", null) };
      const size = (term: string, weight: number) => sizes.get(`${weight} ${term}`) ?? 0;
      const total = (term: string) => weights.reduce((s, x) => s + size(term, x), 0);
      const terms = [...plan.terms].sort((a, b) => total(a) - total(b));
      const wanted = plan.limit + 1;
      let hits: Array<{ id: string; score: number; s: string }> = [];
      if (terms.length <= levelledWords) {
        const { after } = plan;
        for (let score = 3 * terms.length; score >= terms.length && hits.length < wanted; score--) {
          if (after && score > after.score) continue;
          const level = levelOf(terms.length, score);
          // Of a combination's subqueries only the cheapest runs, and none where a
          // list is empty (no product can hold that combination).
          const flags = level.subqueries.map(([combination, strategy]) => {
            const lists = combination.map((x, i) => size(terms[i] ?? "", x));
            if (!lists.every((l) => l > 0)) return 0;
            const best = strategyFor(lists);
            return best === strategy ||
              (best !== "merge" && strategy !== "merge" && best.driver === strategy.driver)
              ? 1
              : 0;
          });
          if (!flags.includes(1)) continue;
          const from = after && score === after.score ? after.id : "";
          const rows = await levelRows(tx, level, flags, [from, wanted - hits.length, ...terms]);
          for (const r of rows) hits.push({ id: String(r.id), score, s: String(r.s) });
        }
      } else {
        const cursor = plan.after === null ? [noScore, ""] : [plan.after.score, plan.after.id];
        const rows = await tx.all<{ id: string; score: number; s: string }>(
          drivenOf(terms.length),
          [...cursor, wanted, ...terms],
        );
        hits = rows.map((r) => ({ id: String(r.id), score: Number(r.score), s: String(r.s) }));
      }
      const body = pageBody(
        hits,
        plan.limit,
        (h) => withField(h.s, "score", h.score),
        (last) => encodeSearchCursor({ score: last.score, id: last.id }),
      );
      return { watermark: w, body };
    });
}
