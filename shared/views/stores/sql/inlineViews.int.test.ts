import { afterEach, describe, expect, it } from "vitest";
import type { RecordChange } from "../../../projection/records.ts";
import { treeCatalog } from "../../../testing/contract/statsAndNavigation.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { referenceFold } from "../../../testing/referenceFold.ts";
import { catalogListing } from "../../models/catalogListing/catalogListing.ts";
import { categoryListing } from "../../models/categoryListing/categoryListing.ts";
import { search } from "../../models/search/search.ts";
import { applyEventsInTransaction, readViewWatermark } from "./applyEvents.ts";
import type { SqlConnection, SqlValue } from "./connection.ts";
import { openLibsqlNative } from "./drivers/libsqlNative.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore } from "./sqlViewStore.ts";
import { viewSchemaVersion, viewTables } from "./tables.ts";
import { changeStatements } from "./write.ts";

/**
 * A primary with one table of its own (a stand-in for its command tables:
 * the views must commit or roll back with them) and the views in the same
 * file, written inside its write transactions as the primary's writer does.
 */
async function primary() {
  const views = await openLibsqlNative(":memory:");
  closers.push(() => views.close());
  await views.reader.run("CREATE TABLE commands (id INTEGER PRIMARY KEY, note TEXT)");
  await views.transaction("write", (tx) => ensureViewSchema(tx));
  const transaction = <T>(fn: (tx: SqlConnection) => Promise<T>) => views.transaction("write", fn);
  return { views, reader: views.reader, transaction };
}
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const insertCommand = (tx: SqlConnection, id: number, note: string) =>
  tx.run("INSERT INTO commands (id, note) VALUES (?, ?)", [id, note]);

describe("inline views in the primary's transaction", () => {
  it("commit with the command, and reads on the same db answer at once", async () => {
    const db = await primary();
    const { events } = treeCatalog().log;
    const result = await db.transaction(async (tx) => {
      await insertCommand(tx, 1, "create catalog");
      return applyEventsInTransaction(tx, events);
    });
    expect(result).toEqual({ status: "applied", watermark: 9, applied: 9 });
    const reads = createSqlViewStore(db.views, { ensureSchema: false });
    expect(await readsOf(reads).productPage({ slug: "l1" })).toMatchObject({
      watermark: 9,
      data: { slug: "l1" },
    });
    expect((await reads.digest()).digest).toBe((await referenceFold(events)).digest);
  });

  it("roll back with the command: no view change, no watermark move", async () => {
    const db = await primary();
    const { log } = treeCatalog();
    await db.transaction((tx) => applyEventsInTransaction(tx, log.events));
    const before = await createSqlViewStore(db.views).digest();
    const failing = db.transaction(async (tx) => {
      await insertCommand(tx, 2, "doomed");
      await applyEventsInTransaction(tx, [log.archive("l1"), log.renameCategory("cat_home", "X")]);
      throw new Error("the command fails after its views were applied");
    });
    await expect(failing).rejects.toThrow("the command fails");
    expect(await readViewWatermark(db.reader)).toBe(9);
    expect(await createSqlViewStore(db.views).digest()).toEqual(before);
    expect(await db.reader.all("SELECT * FROM commands")).toEqual([]);
  });

  it("say gap when the inline views are behind the log, and change nothing", async () => {
    const db = await primary();
    const { events } = treeCatalog().log;
    const result = await db.transaction((tx) => applyEventsInTransaction(tx, events.slice(3)));
    expect(result).toEqual({ status: "gap", watermark: 0, missing: { from: 1, to: 3 } });
    expect(await readViewWatermark(db.reader)).toBe(0);
  });
});

describe("ensureViewSchema", () => {
  it("is idempotent and keeps the views", async () => {
    const db = await primary();
    await db.transaction((tx) => applyEventsInTransaction(tx, treeCatalog().log.events));
    expect(await ensureViewSchema(db.reader)).toEqual({ watermark: 9, layout: viewSchemaVersion });
  });

  it("keeps views of an older layout readable: a new generation replaces them, never a drop", async () => {
    const db = await primary();
    await db.transaction((tx) => applyEventsInTransaction(tx, treeCatalog().log.events));
    await db.reader.run("UPDATE view_meta SET schema_version = ?", [viewSchemaVersion - 1]);
    expect(await ensureViewSchema(db.reader)).toEqual({
      watermark: 9,
      layout: viewSchemaVersion - 1,
    });
    const store = createSqlViewStore(db.views);
    expect((await store.digest()).digest).toBe(
      (await referenceFold(treeCatalog().log.events)).digest,
    );
  });
});

describe("query plans", () => {
  const plan = async (db: Awaited<ReturnType<typeof primary>>, query: string) =>
    (await db.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`)).map((r) => r.detail);

  it("serve listing pages and price ranges from indexes alone, never a scan, a sort or a table read", async () => {
    const db = await primary();
    // what a listing page reads of each row: the product id (to join its summary) and the sort key
    for (const [sort, filter] of [
      ["price_asc", ""],
      ["newest", " AND in_stock = 1"],
    ]) {
      const steps = await plan(
        db,
        `SELECT product_id, key_${sort} FROM view_listing WHERE category_id = 'c'${filter} AND key_${sort} > 'k' ORDER BY key_${sort} LIMIT 21`,
      );
      // the in-stock filter reads the stock flag in the same index
      expect(steps.join("\n")).toContain(
        `USING COVERING INDEX view_listing_${sort} (category_id=? AND key_${sort}>?)`,
      );
      expect(steps.join("\n")).not.toMatch(/SCAN|TEMP B-TREE/);
    }
    // the catalog-wide listing: the same from its own indexes
    for (const [sort, filter, index] of [
      ["name", "", "view_listing_catalog_name"],
      ["price_desc", "in_stock = 1 AND ", "view_listing_catalog_price_desc"],
    ]) {
      const steps = await plan(
        db,
        `SELECT product_id, key_${sort} FROM view_listing WHERE ${filter}key_${sort} > 'k' ORDER BY key_${sort} LIMIT 21`,
      );
      expect(steps.join("\n")).toContain(`USING COVERING INDEX ${index} (key_${sort}>?)`);
      expect(steps.join("\n")).not.toMatch(/TEMP B-TREE/);
    }
    const range = await plan(
      db,
      "SELECT product_id, amount FROM view_listing WHERE category_id = 'c' AND currency = 'EUR' ORDER BY amount DESC, product_id DESC LIMIT 3",
    );
    expect(range.join("\n")).toContain("USING COVERING INDEX view_listing_price_range");
  });

  it("read a page of summaries over those indexes, as one row sorting only the page, or as rows", async () => {
    const db = await primary();
    const t = viewTables("");
    const pages = [
      [categoryListing, { slug: "c", sort: "price_asc", inStock: false, limit: 20, after: "k" }],
      [categoryListing, { slug: "c", sort: "newest", inStock: true, limit: 20, after: null }],
      [catalogListing, { sort: "name", inStock: true, limit: 20, after: "k" }],
    ] as const;
    // the plan of each page's first statement, read as one row or as rows
    const plansOf = async (pagesAsOneRow: boolean) => {
      const statements: string[] = [];
      const values = db.reader.values;
      const watched: SqlConnection = {
        ...db.reader,
        pagesAsOneRow,
        ...(values && {
          values: (sql: string, args?: readonly SqlValue[]) => {
            statements.push(sql);
            return values(sql, args);
          },
        }),
        first: (sql, args) => {
          statements.push(sql);
          return db.reader.first(sql, args);
        },
        all: (sql, args) => {
          statements.push(sql);
          return db.reader.all(sql, args);
        },
      };
      for (const [model, query] of pages) {
        const before = statements.length;
        await model.sql(t)(watched, query as never);
        statements.splice(before + 1);
      }
      return Promise.all(statements.map(async (sql) => (await plan(db, sql)).join("\n")));
    };
    for (const pagesAsOneRow of [true, false]) {
      const plans = await plansOf(pagesAsOneRow);
      expect(plans).toHaveLength(pages.length);
      const [category, inStock, catalog] = plans;
      expect(category).toContain(
        "SEARCH l USING COVERING INDEX view_listing_price_asc (category_id=? AND key_price_asc>?)",
      );
      expect(inStock).toContain(
        "SEARCH l USING COVERING INDEX view_listing_newest (category_id=?)",
      );
      expect(catalog).toContain(
        "SEARCH l USING COVERING INDEX view_listing_catalog_name (key_name>?)",
      );
      // a category's sort index carries the summaries (layout 7); the catalog's looks each up by its key
      for (const steps of [category, inStock])
        expect(steps).not.toMatch(/SEARCH s|SEARCH l USING INDEX/);
      expect(catalog).toContain("SEARCH s USING PRIMARY KEY (product_id=?)");
      for (const steps of plans) {
        // as one row, the page (not the range) sorted once
        expect(steps.match(/TEMP B-TREE/g) ?? []).toEqual(pagesAsOneRow ? ["TEMP B-TREE"] : []);
        if (pagesAsOneRow) expect(steps).toContain("USE TEMP B-TREE FOR group_concat(ORDER BY)");
        expect(steps).not.toMatch(/SCAN l|SCAN s/);
      }
    }
  });

  it("walk a search's rarest posting list in id order and probe the other words by key", async () => {
    const db = await primary();
    const steps = await plan(
      db,
      "SELECT d.product_id FROM view_search_posting d CROSS JOIN view_search_posting p1 ON p1.product_id = d.product_id AND p1.term = 'b' AND p1.weight = 2 WHERE d.term = 'a' AND d.weight = 3 AND d.product_id > '' ORDER BY d.product_id LIMIT 21",
    );
    expect(steps[0]).toBe("SEARCH d USING PRIMARY KEY (term=? AND weight=? AND product_id>?)");
    // one exact probe per posting of d, by the postings' own key (layout 6 has no other)
    expect(steps[1]).toBe("SEARCH p1 USING PRIMARY KEY (term=? AND weight=? AND product_id=?)");
    expect(steps.join("\n")).not.toMatch(/TEMP B-TREE|SCAN/);
  });

  it("probe the other words of a long query by the postings' key, one seek per weight", async () => {
    const db = await primary();
    const statements: string[] = [];
    const watched: SqlConnection = {
      ...db.reader,
      all: (sql, args) => {
        statements.push(sql);
        return db.reader.all(sql, args);
      },
      snapshot: (fn) => fn(watched),
    };
    await search.sql(viewTables(""))(watched, {
      terms: ["oak", "lamp", "brass", "desk"],
      limit: 20,
      after: null,
    });
    const driven = statements.find((sql) => sql.includes("CROSS JOIN"));
    expect(driven).toBeDefined();
    const steps = await plan(db, driven ?? "");
    expect(steps.filter((step) => /^SEARCH p\d/.test(step))).toEqual(
      [1, 2, 3].map((i) => `SEARCH p${i} USING PRIMARY KEY (term=? AND weight=? AND product_id=?)`),
    );
  });

  it("take out a product's old postings by their key, found from its old search record", async () => {
    const db = await primary();
    const search = (id: string): RecordChange => ({
      op: "upsert",
      record: { kind: "search", key: id, value: { id, terms: [["oak", 3]] } },
    });
    const statements = await changeStatements(db.reader, [search("p1"), search("p2")]);
    const remove = statements.find((s) => s.sql.startsWith("DELETE FROM view_search_posting "));
    expect(remove).toBeDefined();
    const steps = (await plan(db, remove?.sql ?? "")).join("\n");
    expect(steps).toContain(
      "SEARCH view_search_posting USING PRIMARY KEY (term=? AND weight=? AND product_id=?)",
    );
    expect(steps).toMatch(
      /SEARCH s USING (PRIMARY KEY|INDEX sqlite_autoindex_view_search_1) \(product_id=\?\)/,
    );
    expect(steps).not.toMatch(/SCAN view_search_posting|SCAN s\b/);
  });
});
