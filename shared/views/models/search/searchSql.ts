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
 * Parameters: ?1 the cursor's score (past every score without one), ?2 its id
 * ("" without), ?3 the limit + 1, ?4… the words, then one flag per
 * (combination, driving word): 1 where that subquery runs.
 */
function levelledSql(
  t: ViewTables,
  n: number,
): { text: string; subqueries: Array<[number[], number]> } {
  const subqueries: Array<[number[], number]> = [];
  const parts: string[] = [];
  for (const combination of combinations(n)) {
    const score = combination.reduce((s, w) => s + w, 0);
    for (let driver = 0; driver < n; driver++) {
      const flag = 4 + n + subqueries.length;
      subqueries.push([combination, driver]);
      const probes = combination
        .map((w, i) => [w, i] as const)
        .filter(([, i]) => i !== driver)
        .map(
          ([w, i]) =>
            ` CROSS JOIN ${t.searchPosting} p${i} ON p${i}.product_id = d.product_id AND p${i}.term = ?${4 + i} AND p${i}.weight = ${w}`,
        )
        .join("");
      parts.push(`SELECT * FROM (SELECT d.product_id AS id, ${score} AS score
        FROM ${t.searchPosting} d${probes}
        WHERE ?${flag} AND ${score} <= ?1 AND d.term = ?${4 + driver} AND d.weight = ${combination[driver]}
          AND d.product_id > (CASE WHEN ${score} = ?1 THEN ?2 ELSE '' END)
        ORDER BY d.product_id LIMIT ?3)`);
    }
  }
  const text = `SELECT m.watermark AS w, h.id AS id, h.score AS score, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT id, score FROM (${parts.join(" UNION ALL ")}) ORDER BY score DESC, id LIMIT ?3
    ) h ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = h.id
    WHERE m.id = 1
    ORDER BY h.score DESC, h.id`;
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
  return `SELECT m.watermark AS w, h.id AS id, h.score AS score, s.data AS s
    FROM ${t.meta} m
    LEFT JOIN (
      SELECT id, score FROM (
        SELECT d.product_id AS id, ${score} AS score FROM ${t.searchPosting} d${probes}
        WHERE d.term = ?4
      ) WHERE score < ?1 OR (score = ?1 AND id > ?2)
      ORDER BY score DESC, id LIMIT ?3
    ) h ON 1
    LEFT JOIN ${t.summary} s ON s.product_id = h.id
    WHERE m.id = 1
    ORDER BY h.score DESC, h.id`;
}

/** Past every score a query can have: "no cursor". */
const noScore = 1_000_000;

/**
 * The search read of one namespace: counts of the words' posting lists (the
 * planner's only input, so never a snapshot concern), then one statement.
 *
 * @example
 * await searchSql(tables)(db, { terms: ["oak", "lamp"], limit: 20, after: null });
 */
export function searchSql(t: ViewTables): SqlRead<SearchQueryPlan> {
  const statements = new Map<number, ReturnType<typeof levelledSql> | string>();
  const statementFor = (n: number) => {
    let statement = statements.get(n);
    if (statement === undefined) {
      statement = n <= levelledWords ? levelledSql(t, n) : drivenSql(t, n);
      statements.set(n, statement);
    }
    return statement;
  };
  const counts = `SELECT term, weight, n FROM ${t.searchCount}
    WHERE term IN (SELECT value FROM json_each(?)) AND n > 0`;
  const watermarkOnly = `SELECT watermark AS w FROM ${t.meta} WHERE id = 1`;
  return async (db: SqlConnection, plan: SearchQueryPlan): Promise<StoredRead> => {
    if (plan.terms.length === 0) {
      const row = await db.first<{ w: number }>(watermarkOnly);
      return { watermark: Number(row?.w ?? 0), body: pageText("", null) };
    }
    const sizes = new Map<string, number>();
    for (const r of await db.all<{ term: string; weight: number; n: number }>(counts, [
      JSON.stringify(plan.terms),
    ])) {
      sizes.set(`${r.weight} ${r.term}`, Number(r.n));
    }
    const size = (term: string, weight: number) => sizes.get(`${weight} ${term}`) ?? 0;
    const total = (term: string) => weights.reduce((s, w) => s + size(term, w), 0);
    const terms = [...plan.terms].sort((a, b) => total(a) - total(b));
    const cursor = plan.after === null ? [noScore, ""] : [plan.after.score, plan.after.id];
    const head = [...cursor, plan.limit + 1, ...terms];
    const statement = statementFor(terms.length);
    let rows: Array<{ w: number; id: string | null; score: number; s: string | null }>;
    if (typeof statement === "string") {
      rows = await db.all(statement, head);
    } else {
      // Of a combination's subqueries only the one driven by its shortest list runs,
      // and none where a list is empty (that combination holds no product).
      const flags = statement.subqueries.map(([combination, driver]) => {
        const lists = combination.map((w, i) => size(terms[i] ?? "", w));
        const shortest = lists.indexOf(Math.min(...lists));
        return lists.every((n) => n > 0) && shortest === driver ? 1 : 0;
      });
      rows = await db.all(statement.text, [...head, ...flags]);
    }
    const hits = rows.filter((r) => r.id !== null && r.s !== null);
    const body = pageBody(
      hits,
      plan.limit,
      (r) => withField(r.s ?? "{}", "score", Number(r.score)),
      (last) => encodeSearchCursor({ score: Number(last.score), id: String(last.id) }),
    );
    return { watermark: Number(rows[0]?.w ?? 0), body };
  };
}
