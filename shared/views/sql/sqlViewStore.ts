import { sql } from "drizzle-orm";
import type { StoredEvent } from "../../events/types.ts";
import type { AttributeQuery, CategoryListingQuery, SearchQuery } from "../readModels.ts";
import type { ApplyResult, ViewStore } from "../viewStore.ts";
import { applyEventsInTransaction, readViewWatermark } from "./applyEvents.ts";
import { attributeValuesRead, productsByAttributeRead } from "./attributeReads.ts";
import type { BusyRetryOptions } from "./busy.ts";
import { sqlViewDigest } from "./digest.ts";
import {
  categoryListingRead,
  categoryStatsRead,
  navigationRead,
  productPageRead,
  searchRead,
} from "./reads.ts";
import { ensureViewSchema } from "./schema.ts";
import { type ViewDb, type ViewSql, type ViewTables, viewTables } from "./tables.ts";
import { clientQueue, writeTransaction } from "./transactions.ts";

export interface SqlViewStoreOptions {
  /** the tables' namespace (default "": the unversioned `view_*` tables), see `viewTables` */
  namespace?: string;
  /** create the view tables on first use (default true); the primary may call `ensureViewSchema` itself */
  ensureSchema?: boolean;
  busyRetry?: BusyRetryOptions;
  /** `close()` also closes the libSQL client (stores opened by `openSqlViewStore`) */
  ownsClient?: boolean;
  /** page cache of the connection that applies, KiB (default 64 MiB) */
  cacheSizeKib?: number;
  /**
   * Runs applies through the database owner's writer instead of this store's
   * own write transactions: the primary's serialized writer, so a background
   * build never contends with commands for SQLite's lock.
   */
  write?: ViewWriter;
}

/** A write transaction runner (`BEGIN IMMEDIATE`), e.g. the primary's serialized writer. */
export type ViewWriter = <T>(fn: (tx: ViewSql) => Promise<T>) => Promise<T>;

const isClosedConnection = (e: unknown) =>
  (e as { code?: unknown } | null)?.code === "CLIENT_CLOSED";

/**
 * Prepares the store once, on first use: the schema, and whether the database
 * lives on one connection (`:memory:`), whose reads must then queue behind
 * applies or libsql refuses them mid-transaction. A failure is retried next use.
 */
function lazyInit(db: ViewDb, t: ViewTables, options: SqlViewStoreOptions): () => Promise<boolean> {
  let ready: Promise<boolean> | null = null;
  return () => {
    ready ??= (async () => {
      const [main] = await db.all<{ file: string }>(sql`PRAGMA database_list`);
      const inMemory = (main?.file ?? "") === "";
      if (options.ensureSchema !== false) {
        await writeTransaction(db, (tx) => ensureViewSchema(tx, t), { inMemory, ...options });
      }
      return inMemory;
    })();
    ready.catch(() => {
      ready = null;
    });
    return ready;
  };
}

/**
 * A ViewStore on libSQL through drizzle: an edge replica's embedded file, or
 * the read side of the primary's inline views over the primary's own db.
 * `apply` is one `BEGIN IMMEDIATE` transaction that reads the watermark inside
 * it, so concurrent deliveries (in this process or another) apply once; it is
 * retried whole after SQLITE_BUSY. Reads are single statements.
 *
 * @example
 * const store = createSqlViewStore(drizzle(createClient({ url: "file:.data/replica.db" })));
 * await store.apply(events);
 * (await store.productPage("desk-lamp")).data?.name; // → "Desk lamp"
 */
export function createSqlViewStore(db: ViewDb, options: SqlViewStoreOptions = {}): ViewStore {
  const queue = clientQueue(db.$client);
  const t = viewTables(options.namespace);
  const init = lazyInit(db, t, options);
  // A heal after SQLITE_BUSY reopens the connections; a read caught in it runs again.
  const read = async <T>(query: () => Promise<T>): Promise<T> => {
    if (await init()) return queue.run(query);
    return query().catch((e) => (isClosedConnection(e) ? query() : Promise.reject(e)));
  };
  const applyInOwnTransaction = (events: readonly StoredEvent[]) => async (tx: ViewSql) => {
    // SQLite's 2 MB default page cache makes a 1,000-event batch over 100,000
    // products a third slower; the setting lives on the connection.
    await tx.run(sql.raw(`PRAGMA cache_size = -${options.cacheSizeKib ?? 65_536}`));
    return applyEventsInTransaction(tx, events, t);
  };

  return {
    async apply(events: readonly StoredEvent[]): Promise<ApplyResult> {
      const inMemory = await init();
      if (options.write) return options.write(applyInOwnTransaction(events));
      return writeTransaction(db, applyInOwnTransaction(events), { inMemory, ...options });
    },
    watermark: () => read(() => readViewWatermark(db, t)),
    productPage: (slug: string) => read(() => productPageRead(db, slug, t)),
    categoryListing: (slug: string, query: CategoryListingQuery) =>
      read(() => categoryListingRead(db, slug, query, t)),
    search: (query: SearchQuery) => read(() => searchRead(db, query, t)),
    categoryStats: (slug: string) => read(() => categoryStatsRead(db, slug, t)),
    navigation: () => read(() => navigationRead(db, t)),
    productsByAttribute: (name: string, value: string, query: AttributeQuery) =>
      read(() => productsByAttributeRead(db, name, value, query, t)),
    attributeValues: (name: string) => read(() => attributeValuesRead(db, name, t)),
    // Queued with the writes: its read transaction must not be cut by a heal.
    async digest() {
      await init();
      return queue.run(() => sqlViewDigest(db, t));
    },
    async close() {
      await queue.run(async () => {
        if (options.ownsClient) db.$client.close();
      });
    },
  };
}
