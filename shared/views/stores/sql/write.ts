import { HashSum, recordHash, zeroHash } from "../../../digest/index.ts";
import {
  type RecordChange,
  type RecordKind,
  type RecordValues,
  recordKinds,
  type SearchEntry,
} from "../../../projection/index.ts";
import { type RecordTable, recordRows, recordTables } from "./recordRows.ts";
import { type ViewSql, type ViewTables, viewTables } from "./tables.ts";

// Rows travel as one JSON parameter per statement and SQLite unpacks them with
// json_each: one prepare and one bind per table and batch instead of one per
// row, which is what makes a 1,000-event batch cheap. A record's JSON goes in
// as a string element (`value->>n` gives the text back exactly), never as an
// object SQLite would re-serialize: reads answer these bytes as they are.
// `WHERE true` is SQLite's required disambiguation between INSERT … SELECT and
// ON CONFLICT.

interface ChangeStatements {
  delete: Record<RecordKind, string>;
  upsert: Record<RecordKind, string>;
}

const deleteWhere = (table: string, key: string) =>
  `DELETE FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`;

/** An upsert of `[key, …, json]` rows into a table whose last column is `data`. */
const upsertRows = (table: string, columns: readonly string[]) => {
  const [key, ...rest] = columns;
  const set = rest.map((c) => `${c} = excluded.${c}`).join(", ");
  return `INSERT INTO ${table} (${columns.join(", ")})
    SELECT ${columns.map((_, i) => `value->>${i}`).join(", ")} FROM json_each(?) WHERE true
    ON CONFLICT (${key}) DO UPDATE SET ${set}`;
};

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
      k === "attribute" ? insertRows(tables[k]) : upsertRows(tables[k].table, tables[k].columns),
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

/** An upserted record, its JSON text written once: stored as is, and hashed for the digest. */
type Upsert = {
  [K in RecordKind]: { key: string; value: RecordValues[K]; json: string };
}[RecordKind];
type Upserts = {
  [K in RecordKind]: Array<{ key: string; value: RecordValues[K]; json: string }>;
};

const rowsOf = (u: Upserts): Record<RecordKind, unknown[]> => {
  const rows = {} as Record<RecordKind, unknown[]>;
  for (const kind of recordKinds) {
    rows[kind] = (u[kind] as Upsert[]).flatMap((r) => recordRows(kind, r.key, r.value, r.json));
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

/**
 * Turns record changes into statements: one delete and one upsert per table,
 * rows passed as JSON. No domain logic: every value comes ready from the
 * projection.
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
  const statements = statementsFor(t);
  const u = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Upserts;
  const d = Object.fromEntries(recordKinds.map((k) => [k, []])) as unknown as Record<
    RecordKind,
    string[]
  >;
  const hashes: Array<[kind: RecordKind, key: string, hash: string | null]> = [];
  for (const c of changes) {
    if (c.op === "delete") {
      d[c.kind].push(c.key);
      hashes.push([c.kind, c.key, null]);
    } else {
      const { kind, key, value } = c.record;
      const json = JSON.stringify(value);
      (u[kind] as Upsert[]).push({ key, value, json } as Upsert);
      hashes.push([kind, key, recordHash(kind, key, json)]);
    }
  }
  const rows = rowsOf(u);
  if (!options.fresh) {
    // A product's attribute pairs are replaced wholesale, so clear them for upserts too.
    d.attribute.push(...u.attribute.map((a) => a.key));
    await countAttributes(tx, -1, d.attribute, t);
    for (const kind of recordKinds) {
      for (const part of slices(d[kind]))
        await tx.run(statements.delete[kind], [JSON.stringify(part)]);
    }
  }
  for (const kind of recordKinds) {
    for (const part of slices(rows[kind])) {
      await tx.run(statements.upsert[kind], [JSON.stringify(part)]);
    }
  }
  await countAttributes(
    tx,
    1,
    u.attribute.map((a) => a.key),
    t,
  );
  const replaced = options.fresh ? [] : [...d.search, ...u.search.map((s) => s.key)];
  await writePostings(tx, replaced, u.search, t);
  await updateDigest(tx, hashes, t, options);
}

/**
 * Replaces the search postings of every product whose search record changed
 * or went, keeping the per-(word, weight) counts: the old postings' counts
 * come off before they go, the new ones' go on after.
 */
async function writePostings(
  tx: ViewSql,
  changed: readonly string[],
  entries: ReadonlyArray<{ value: SearchEntry }>,
  t: ViewTables,
): Promise<void> {
  const addCounts = (select: string) =>
    `INSERT INTO ${t.searchCount} (term, weight, n) ${select}
     ON CONFLICT (term, weight) DO UPDATE SET n = n + excluded.n`;
  for (const part of slices([...changed])) {
    const ids = JSON.stringify(part);
    await tx.run(
      addCounts(`SELECT term, weight, -count(*) FROM ${t.searchPosting}
        WHERE product_id IN (SELECT value FROM json_each(?)) GROUP BY term, weight`),
      [ids],
    );
    await tx.run(
      `DELETE FROM ${t.searchPosting} WHERE product_id IN (SELECT value FROM json_each(?))`,
      [ids],
    );
  }
  const postings = entries.flatMap(({ value }) =>
    value.terms.map(([term, weight]) => [term, weight, value.id]),
  );
  for (const part of slices(postings)) {
    const rows = JSON.stringify(part);
    await tx.run(
      `INSERT INTO ${t.searchPosting} (term, weight, product_id)
       SELECT value->>0, value->>1, value->>2 FROM json_each(?)`,
      [rows],
    );
    await tx.run(
      addCounts(`SELECT value->>0, value->>1, count(*) FROM json_each(?) WHERE true GROUP BY 1, 2`),
      [rows],
    );
  }
}

/**
 * Keeps each attribute value's count of active products: the products'
 * attribute rows counted off before they are deleted (`sign` -1), and on
 * after the new ones are written (+1), so the values read is one range of
 * counts, whatever the number of products.
 */
async function countAttributes(
  tx: ViewSql,
  sign: 1 | -1,
  products: readonly string[],
  t: ViewTables,
): Promise<void> {
  const ofProducts = `SELECT name, value FROM ${t.attribute}
    WHERE product_id IN (SELECT value FROM json_each(?))`;
  for (const part of slices([...products])) {
    const ids = JSON.stringify(part);
    await tx.run(
      `INSERT INTO ${t.attributeCount} (name, value, n)
       SELECT name, value, ${sign} * count(*) FROM (${ofProducts}) GROUP BY name, value
       ON CONFLICT (name, value) DO UPDATE SET n = n + excluded.n`,
      [ids],
    );
    // only the counts just lowered can have reached zero: a probe per pair, not a scan per write
    if (sign < 0) {
      await tx.run(
        `DELETE FROM ${t.attributeCount} WHERE n <= 0 AND (name, value) IN (${ofProducts})`,
        [ids],
      );
    }
  }
}

/**
 * Keeps the views' digest with the watermark: each changed record's old hash
 * leaves the running sum and its new one joins (`recordHash`, XOR), so the
 * digest never needs a walk of every record.
 */
async function updateDigest(
  tx: ViewSql,
  hashes: ReadonlyArray<[kind: RecordKind, key: string, hash: string | null]>,
  t: ViewTables,
  options: WriteOptions,
): Promise<void> {
  if (hashes.length === 0) return;
  const [meta] = await tx.all<{ sum: string }>(`SELECT digest AS sum FROM ${t.meta} WHERE id = 1`);
  const sum = new HashSum(String(meta?.sum ?? zeroHash));
  const existing = options.fresh ? [] : hashes.map(([kind, key]) => [kind, key]);
  for (const part of slices(existing)) {
    const old = await tx.all<{ h: string }>(
      `SELECT h FROM ${t.recordHash} WHERE (kind, key) IN (SELECT value->>0, value->>1 FROM json_each(?))`,
      [JSON.stringify(part)],
    );
    for (const row of old) sum.add(String(row.h));
  }
  const gone = hashes.filter(([, , h]) => h === null).map(([kind, key]) => [kind, key]);
  const kept = hashes.filter(([, , h]) => h !== null);
  for (const [, , h] of kept) sum.add(h as string);
  for (const part of slices(gone)) {
    await tx.run(
      `DELETE FROM ${t.recordHash} WHERE (kind, key) IN (SELECT value->>0, value->>1 FROM json_each(?))`,
      [JSON.stringify(part)],
    );
  }
  for (const part of slices(kept)) {
    await tx.run(
      `INSERT INTO ${t.recordHash} (kind, key, h) SELECT value->>0, value->>1, value->>2
       FROM json_each(?) WHERE true ON CONFLICT (kind, key) DO UPDATE SET h = excluded.h`,
      [JSON.stringify(part)],
    );
  }
  await tx.run(`UPDATE ${t.meta} SET digest = ? WHERE id = 1`, [sum.toString()]);
}

/** Rows per statement: a rename's fan-out stays a few MB of JSON per statement, not one huge one. */
const sliceSize = 5_000;
const slices = <T>(list: T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / sliceSize) }, (_, i) =>
    list.slice(i * sliceSize, (i + 1) * sliceSize),
  );
