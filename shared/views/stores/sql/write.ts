import { HashSum, recordHash, zeroHash } from "../../../digest/index.ts";
import {
  type RecordChange,
  type RecordKind,
  type RecordValues,
  recordKinds,
  type SearchEntry,
} from "../../../projection/index.ts";
import type { SqlStatement } from "./guard.ts";
import { jsonSlices } from "./jsonSlices.ts";
import {
  hashInRow,
  listingSummaryColumn,
  type RecordTable,
  recordRows,
  recordTables,
} from "./recordRows.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

// Rows travel as one JSON parameter per statement and SQLite unpacks them with
// json_each: one prepare and one bind per table and batch instead of one per
// row, which is what makes a 1,000-event batch cheap. A record's JSON goes in
// as a string element (`value->>n` gives the text back exactly), never as an
// object SQLite would re-serialize: reads answer these bytes as they are.
// `WHERE true` is SQLite's required disambiguation between INSERT … SELECT and
// ON CONFLICT.
//
// A write is a read phase (the digest and the old hashes of the changed
// records), then statements that only write: nothing reads what the write
// itself wrote except inside SQL, statement by statement. So the same
// statements run inside an interactive transaction or as one D1 batch, which
// cannot hand a result back to the code between its statements.

interface ChangeStatements {
  delete: Record<RecordKind, string>;
  upsert: Record<RecordKind, string>;
  /** the stored hashes of records of a kind, by key (`?`: a JSON array of keys) */
  oldHashes: Record<RecordKind, string>;
  /** copies the summaries of products (`?`: their ids) into their listing rows */
  listingSummaries: string;
}

const deleteWhere = (table: string, key: string) =>
  `DELETE FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`;

/** A column an upsert fills from elsewhere than its rows: `value` is SQL over the row (`value->>0` its key). */
interface DerivedColumn {
  column: string;
  value: string;
}

/**
 * An upsert of rows in `columns`' order, the key first, and the `derived`
 * columns after them: on conflict every other column is set anew.
 */
const upsertRows = (table: string, columns: readonly string[], derived: DerivedColumn[] = []) => {
  const [key, ...rest] = columns;
  const names = [...columns, ...derived.map((d) => d.column)];
  const values = [...columns.map((_, i) => `value->>${i}`), ...derived.map((d) => d.value)];
  const set = [...rest, ...derived.map((d) => d.column)]
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  return `INSERT INTO ${table} (${names.join(", ")})
    SELECT ${values.join(", ")} FROM json_each(?) WHERE true
    ON CONFLICT (${key}) DO UPDATE SET ${set}`;
};

/** The stored summary JSON of the product whose id `id` (SQL) names. */
const summaryOfProduct = (t: ViewTables, id: string) =>
  `(SELECT data FROM ${t.summary} WHERE product_id = ${id})`;

/**
 * A listing row's copy of its product's summary JSON (layout 7, `tables.ts`),
 * taken from the summary table: the summaries of a batch are written before
 * its listing rows (`upsertOrder`). Every listed product has a summary (both
 * are the active products'), and the column is NOT NULL, so a listing row
 * without one fails the write instead of serving an empty item.
 */
const summaryOfListing = (t: ViewTables): DerivedColumn => ({
  column: listingSummaryColumn,
  value: summaryOfProduct(t, "value->>0"),
});

/** The kinds in the order their upserts run: summaries before the listing rows that copy them. */
const upsertOrder: readonly RecordKind[] = [
  "summary",
  ...recordKinds.filter((kind) => kind !== "summary"),
];

const insertRows = ({ table, columns }: RecordTable) =>
  `INSERT INTO ${table} (${columns.join(", ")})
    SELECT ${columns.map((_, i) => `value->>${i}`).join(", ")} FROM json_each(?)`;

const statementsOf = (t: ViewTables): ChangeStatements => {
  const tables = recordTables(t);
  const keyOf = (kind: RecordKind) => tables[kind].columns[0] ?? "";
  const each = (make: (kind: RecordKind) => string) =>
    Object.fromEntries(recordKinds.map((k) => [k, make(k)])) as Record<RecordKind, string>;
  return {
    delete: each((k) =>
      // a product's attribute rows go by product, not by their own key
      deleteWhere(tables[k].table, k === "attribute" ? "product_id" : keyOf(k)),
    ),
    upsert: each((k) =>
      // attribute rows are deleted by product first, never updated in place
      k === "attribute"
        ? insertRows(tables[k])
        : upsertRows(
            tables[k].table,
            tables[k].columns,
            k === "listing" ? [summaryOfListing(t)] : [],
          ),
    ),
    listingSummaries: `UPDATE ${t.listing} SET ${listingSummaryColumn} = ${summaryOfProduct(t, `${t.listing}.product_id`)}
      WHERE product_id IN (SELECT value FROM json_each(?))`,
    oldHashes: each((k) =>
      hashInRow(k)
        ? `SELECT h FROM ${tables[k].table} WHERE ${keyOf(k)} IN (SELECT value FROM json_each(?))`
        : `SELECT h FROM ${t.recordHash} WHERE kind = '${k}' AND key IN (SELECT value FROM json_each(?))`,
    ),
  };
};

const statementCache = new WeakMap<ViewTables, ChangeStatements>();
const statementsFor = (t: ViewTables): ChangeStatements => {
  let statements = statementCache.get(t);
  if (!statements) {
    statements = statementsOf(t);
    statementCache.set(t, statements);
  }
  return statements;
};

/** An upserted record, its JSON text written once: stored as is, and hashed (`h`) for the digest. */
type Upsert = {
  [K in RecordKind]: { key: string; value: RecordValues[K]; json: string; h: string };
}[RecordKind];
type Upserts = {
  [K in RecordKind]: Array<{ key: string; value: RecordValues[K]; json: string; h: string }>;
};

const rowsOf = (u: Upserts): Record<RecordKind, unknown[]> => {
  const rows = {} as Record<RecordKind, unknown[]>;
  for (const kind of recordKinds) {
    rows[kind] = (u[kind] as Upsert[]).flatMap((r) =>
      recordRows(kind, r.key, r.value, r.json, r.h),
    );
  }
  return rows;
};

export interface WriteOptions {
  /**
   * None of the changed records exists yet (a bulk load into emptied views):
   * nothing to delete first, no old counts to take off, no old hashes to read.
   */
  fresh?: boolean;
}

type HashChange = [kind: RecordKind, key: string, hash: string | null];

/** A batch's changes sorted by table: what both phases of a write work from. */
interface SortedChanges {
  upserts: Upserts;
  deletes: Record<RecordKind, string[]>;
  hashes: HashChange[];
}

function sortChanges(changes: readonly RecordChange[]): SortedChanges {
  const upserts = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Upserts;
  const deletes = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Record<
    RecordKind,
    string[]
  >;
  const hashes: HashChange[] = [];
  for (const c of changes) {
    if (c.op === "delete") {
      deletes[c.kind].push(c.key);
      hashes.push([c.kind, c.key, null]);
    } else {
      const { kind, key, value } = c.record;
      const json = JSON.stringify(value);
      const h = recordHash(kind, key, json);
      (upserts[kind] as Upsert[]).push({ key, value, json, h } as Upsert);
      hashes.push([kind, key, h]);
    }
  }
  // A product's attribute pairs are replaced wholesale, so clear them for upserts too.
  deletes.attribute.push(...upserts.attribute.map((a) => a.key));
  return { upserts, deletes, hashes };
}

/**
 * The read phase of a write: the digest the views will have once it is done,
 * from the kept one and the old hashes of the records it changes (each in its
 * record's row, an attribute record's in the hash table); null when it
 * changes no record.
 */
async function digestAfter(
  tx: ViewSql,
  { hashes }: SortedChanges,
  t: ViewTables,
  options: WriteOptions,
): Promise<string | null> {
  if (hashes.length === 0) return null;
  // XOR is order-free: the kept sum joins when its row arrives
  const sum = new HashSum();
  const kept = `(SELECT digest FROM ${t.meta} WHERE id = 1)`;
  if (options.fresh) {
    const meta = await tx.first<{ sum: string }>(`SELECT ${kept} AS sum`);
    sum.add(String(meta?.sum ?? zeroHash));
  } else {
    const keys = Object.fromEntries(recordKinds.map((k) => [k, [] as string[]])) as Record<
      RecordKind,
      string[]
    >;
    for (const [kind, key] of hashes) keys[kind].push(key);
    const { oldHashes } = statementsFor(t);
    // One statement for the kept sum and every kind's keys (more only past a slice's size), as
    // the one row of each kind's hashes joined: on D1 each statement is a round trip, and D1
    // refuses a compound SELECT of this many terms.
    const slices = recordKinds.map((kind) => ({ kind, parts: jsonSlices(keys[kind]) }));
    for (let i = 0; ; i++) {
      const round = slices.filter(({ parts }) => parts.length > i);
      if (round.length === 0) break;
      const columns = round.map(
        ({ kind }, j) => `(SELECT group_concat(h) FROM (${oldHashes[kind]})) AS h${j}`,
      );
      if (i === 0) columns.push(`${kept} AS sum`);
      const row = await tx.first(
        `SELECT ${columns.join(", ")}`,
        round.map(({ parts }) => parts[i] as string),
      );
      if (i === 0) sum.add(String(row?.sum ?? zeroHash));
      for (let j = 0; j < round.length; j++) {
        // hashes are hex: a comma only ever separates them
        for (const h of String(row?.[`h${j}`] ?? "").split(",")) if (h !== "") sum.add(h);
      }
    }
  }
  for (const [, , h] of hashes) if (h !== null) sum.add(h);
  return sum.toString();
}

/**
 * Turns record changes into statements: one delete and one upsert per table,
 * rows passed as JSON, after the one read phase they need (`digestAfter`). No
 * domain logic: every value comes ready from the projection.
 *
 * @example
 * const statements = await changeStatements(tx, await projectBatch(events, (needs) => loadNeeds(tx, needs)));
 */
export async function changeStatements(
  tx: ViewSql,
  changes: readonly RecordChange[],
  t: ViewTables = viewTables(),
  options: WriteOptions = {},
): Promise<SqlStatement[]> {
  const sorted = sortChanges(changes);
  const digest = await digestAfter(tx, sorted, t, options);
  const statements = statementsFor(t);
  const { upserts: u, deletes: d } = sorted;
  const out: SqlStatement[] = [];
  const each = (sql: string, parts: readonly string[]) => {
    for (const part of parts) out.push({ sql, args: [part] });
  };
  if (!options.fresh) {
    out.push(...attributeCounts(-1, d.attribute, t));
    out.push(...oldPostingStatements([...d.search, ...u.search.map((s) => s.key)], t));
    for (const kind of recordKinds) each(statements.delete[kind], jsonSlices(d[kind]));
  }
  const rows = rowsOf(u);
  for (const kind of upsertOrder) each(statements.upsert[kind], jsonSlices(rows[kind]));
  // a summary changes with every product event, its listing row only with what listings sort by
  const relisted = new Set(u.listing.map((l) => l.key));
  each(
    statements.listingSummaries,
    jsonSlices(u.summary.filter((s) => !relisted.has(s.key)).map((s) => s.key)),
  );
  out.push(
    ...attributeCounts(
      1,
      u.attribute.map((a) => a.key),
      t,
    ),
  );
  out.push(...postingStatements(u.search, t));
  if (digest !== null) out.push(...hashStatements(sorted.hashes, digest, t));
  return out;
}

/**
 * Writes record changes: `changeStatements`, run one by one in the
 * transaction the caller holds.
 *
 * @example
 * await writeChanges(tx, await projectBatch(events, (needs) => loadNeeds(tx, needs)));
 */
export async function writeChanges(
  tx: ViewSql,
  changes: readonly RecordChange[],
  t: ViewTables = viewTables(),
  options: WriteOptions = {},
): Promise<void> {
  for (const s of await changeStatements(tx, changes, t, options)) await tx.run(s.sql, s.args);
}

const addCounts = (t: ViewTables, select: string) =>
  `INSERT INTO ${t.searchCount} (term, weight, n) ${select}
   ON CONFLICT (term, weight) DO UPDATE SET n = n + excluded.n`;

/**
 * Takes out the search postings of every product whose search record changes
 * or goes, and their per-(word, weight) counts. They are found from the
 * stored search records' terms, the postings' own key, so these run before the
 * records are replaced: no index of the postings by product is kept (on the
 * 1,000,000-event history's view file it held 40 of 362 MB).
 */
function oldPostingStatements(changed: readonly string[], t: ViewTables): SqlStatement[] {
  // typed as the columns are, or SQLite seeks the postings by their term alone
  const oldTerms = `SELECT CAST(j.value ->> 0 AS TEXT) AS term, CAST(j.value ->> 1 AS INTEGER) AS weight,
      s.product_id AS id
    FROM ${t.search} s, json_each(s.data, '$.terms') j
    WHERE s.product_id IN (SELECT value FROM json_each(?))`;
  return jsonSlices([...changed]).flatMap((ids) => [
    {
      sql: addCounts(
        t,
        `SELECT term, weight, -count(*) FROM (${oldTerms}) WHERE true GROUP BY 1, 2`,
      ),
      args: [ids],
    },
    {
      sql: `DELETE FROM ${t.searchPosting} WHERE (term, weight, product_id) IN (${oldTerms})`,
      args: [ids],
    },
  ]);
}

/** Adds the search postings of the new search records, and their counts. */
function postingStatements(
  entries: ReadonlyArray<{ value: SearchEntry }>,
  t: ViewTables,
): SqlStatement[] {
  const out: SqlStatement[] = [];
  const postings = entries.flatMap(({ value }) =>
    value.terms.map(([term, weight]) => [term, weight, value.id]),
  );
  for (const rows of jsonSlices(postings)) {
    out.push({
      sql: `INSERT INTO ${t.searchPosting} (term, weight, product_id)
       SELECT value->>0, value->>1, value->>2 FROM json_each(?)`,
      args: [rows],
    });
    out.push({
      sql: addCounts(
        t,
        `SELECT value->>0, value->>1, count(*) FROM json_each(?) WHERE true GROUP BY 1, 2`,
      ),
      args: [rows],
    });
  }
  return out;
}

/**
 * Keeps each attribute value's count of active products: the products'
 * attribute rows counted off before they are deleted (`sign` -1), and on
 * after the new ones are written (+1), so the values read is one range of
 * counts, whatever the number of products.
 */
function attributeCounts(sign: 1 | -1, products: readonly string[], t: ViewTables): SqlStatement[] {
  const ofProducts = `SELECT name, value FROM ${t.attribute}
    WHERE product_id IN (SELECT value FROM json_each(?))`;
  const out: SqlStatement[] = [];
  for (const ids of jsonSlices([...products])) {
    out.push({
      sql: `INSERT INTO ${t.attributeCount} (name, value, n)
       SELECT name, value, ${sign} * count(*) FROM (${ofProducts}) GROUP BY name, value
       ON CONFLICT (name, value) DO UPDATE SET n = n + excluded.n`,
      args: [ids],
    });
    // only the counts just lowered can have reached zero: a probe per pair, not a scan per write
    if (sign < 0) {
      out.push({
        sql: `DELETE FROM ${t.attributeCount} WHERE n <= 0 AND (name, value) IN (${ofProducts})`,
        args: [ids],
      });
    }
  }
  return out;
}

/**
 * Keeps the views' digest with the watermark: the hash of each changed record
 * that is no row of its own (attribute) replaced or deleted in the hash table
 * (the others went with their rows), and the running sum `digestAfter` worked
 * out (old hash out, new one in: `recordHash`, XOR), so the digest never
 * needs a walk of every record.
 */
function hashStatements(hashes: readonly HashChange[], digest: string, t: ViewTables) {
  const apart = hashes.filter(([kind]) => !hashInRow(kind));
  const gone = apart.filter(([, , h]) => h === null).map(([kind, key]) => [kind, key]);
  const kept = apart.filter(([, , h]) => h !== null);
  const out: SqlStatement[] = [];
  for (const part of jsonSlices(gone)) {
    out.push({
      sql: `DELETE FROM ${t.recordHash} WHERE (kind, key) IN (SELECT value->>0, value->>1 FROM json_each(?))`,
      args: [part],
    });
  }
  for (const part of jsonSlices(kept)) {
    out.push({
      sql: `INSERT INTO ${t.recordHash} (kind, key, h) SELECT value->>0, value->>1, value->>2
       FROM json_each(?) WHERE true ON CONFLICT (kind, key) DO UPDATE SET h = excluded.h`,
      args: [part],
    });
  }
  out.push({ sql: `UPDATE ${t.meta} SET digest = ? WHERE id = 1`, args: [digest] });
  return out;
}
