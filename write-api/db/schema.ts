import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The primary's normalized tables: the truth for deciding commands.
 * `version` on each aggregate is the seq of the last event that changed it.
 */
export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    parentId: text("parent_id"),
    version: integer("version").notNull(),
  },
  (t) => [uniqueIndex("categories_slug").on(t.slug)],
);

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    sku: text("sku").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id),
    priceAmount: integer("price_amount").notNull(),
    priceCurrency: text("price_currency").notNull(),
    status: text("status", { enum: ["draft", "active", "archived"] }).notNull(),
    attributes: text("attributes", { mode: "json" }).notNull(),
    stock: integer("stock").notNull(),
    createdSeq: integer("created_seq").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    uniqueIndex("products_sku").on(t.sku),
    uniqueIndex("products_slug").on(t.slug),
    index("products_category").on(t.categoryId),
  ],
);

/**
 * The append-only log. AUTOINCREMENT keeps sqlite_sequence at the highest seq
 * ever used, so a seq is never handed out twice, even if rows were removed;
 * triggers in the migration refuse UPDATE and DELETE outright.
 */
export const events = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    type: text("type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    data: text("data").notNull(),
    /** the shape of `data`: shared/events/eventVersions.ts; old versions are upcast when read */
    schemaVersion: integer("schema_version").notNull().default(1),
    at: text("at").notNull(),
    /** the write request that appended it (X-Request-Id); null for events from before 0002 */
    requestId: text("request_id"),
  },
  (t) => [index("events_aggregate").on(t.aggregateId, t.seq)],
);

/** Responses of commands sent with an `Idempotency-Key`, replayed on retry. */
export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  requestHash: text("request_hash").notNull(),
  response: text("response").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Small named counters, e.g. the relay's published watermark. */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: integer("value").notNull().default(sql`0`),
});
