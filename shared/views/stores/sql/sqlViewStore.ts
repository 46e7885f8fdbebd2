import type { StoredEvent } from "../../../events/types.ts";
import type { AnyReadModel, SqlRead } from "../../models/readModel.ts";
import type { ApplyResult, ViewStore } from "../../viewStore.ts";
import { applyEventsInTransaction, readViewWatermark } from "./applyEvents.ts";
import { bulkLoadSql, type WriteIn } from "./bulkLoad.ts";
import type { BusyRetryOptions } from "./busy.ts";
import { categoryMemo } from "./categoryMemo.ts";
import { keptDigest, walkedDigest } from "./digest.ts";
import { ensureViewSchema } from "./schema.ts";
import { type ViewDb, type ViewSql, type ViewTables, viewTables } from "./tables.ts";
import { databaseQueue, writeTransaction } from "./transactions.ts";

export interface SqlViewStoreOptions {
  /** the tables' namespace (default "": the unversioned `view_*` tables), see `viewTables` */
  namespace?: string;
  /** create the view tables on first use (default true); the primary may call `ensureViewSchema` itself */
  ensureSchema?: boolean;
  busyRetry?: BusyRetryOptions;
  /** `close()` also closes the database (stores opened by `openSqlViewStore`) */
  ownsDatabase?: boolean;
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
 * Prepares the store once, on first use: the schema. A failure is retried next use.
 */
function lazyInit(db: ViewDb, t: ViewTables, options: SqlViewStoreOptions): () => Promise<void> {
  let ready: Promise<void> | null = null;
  return () => {
    ready ??= (async () => {
      if (options.ensureSchema !== false) {
        await writeTransaction(db, (tx) => ensureViewSchema(tx, t), options);
      }
    })();
    ready.catch(() => {
      ready = null;
    });
    return ready;
  };
}

/**
 * A ViewStore on SQLite, whatever binding runs it (drivers/): an edge
 * replica's embedded file, or the read side of the primary's inline views over
 * the primary's own db. `apply` is one `BEGIN IMMEDIATE` transaction that
 * reads the watermark inside it, so concurrent deliveries (in this process or
 * another) apply once; it is retried whole after SQLITE_BUSY. Reads are single
 * statements; on `:memory:`, whose one connection the applies use too, they
 * queue behind them.
 *
 * @example
 * const store = createSqlViewStore(await openSqlDatabase("file:.data/replica.db"));
 * await store.apply(events);
 * await store.read(productPage, productPage.plan({ slug: "desk-lamp" })); // → { watermark: 42, body: '{"id":…}' }
 */
export function createSqlViewStore(db: ViewDb, options: SqlViewStoreOptions = {}): ViewStore {
  const queue = databaseQueue(db);
  const t = viewTables(options.namespace);
  const init = lazyInit(db, t, options);
  const memory = db.kind === "memory";
  // A heal after SQLITE_BUSY reopens the connections; a read caught in it runs again.
  const read = async <T>(query: () => Promise<T>): Promise<T> => {
    await init();
    if (memory) return queue.run(query);
    return query().catch((e) => (isClosedConnection(e) ? query() : Promise.reject(e)));
  };
  // Each model's statements are built once per namespace, then prepared once by the binding.
  const readers = new Map<AnyReadModel, SqlRead<unknown>>();
  const readerOf = (model: AnyReadModel): SqlRead<unknown> => {
    let reader = readers.get(model);
    if (!reader) {
      reader = model.sql(t) as SqlRead<unknown>;
      readers.set(model, reader);
    }
    return reader;
  };
  const categories = categoryMemo();
  const applyInOwnTransaction = (events: readonly StoredEvent[]) => async (tx: ViewSql) => {
    // SQLite's 2 MB default page cache makes a 1,000-event batch over 100,000
    // products a third slower; the setting lives on the connection. D1 refuses
    // PRAGMA, and its cache is Cloudflare's business.
    if (db.kind !== "d1") await tx.run(`PRAGMA cache_size = -${options.cacheSizeKib ?? 65_536}`);
    return applyEventsInTransaction(tx, events, t, categories);
  };

  return {
    async apply(events: readonly StoredEvent[]): Promise<ApplyResult> {
      await init();
      const result = await (options.write
        ? options.write(applyInOwnTransaction(events))
        : writeTransaction(db, applyInOwnTransaction(events), options));
      // resolved: the transaction committed, so what it staged is the table at its watermark
      if (result.status === "applied") categories.committed(result.watermark);
      return result;
    },
    watermark: () => read(() => readViewWatermark(db.reader, t)),
    read: (model, plan) => read(() => readerOf(model)(db.reader, plan)),
    // A walk is queued with the writes: its read transaction must not be cut by a heal.
    async digest(options) {
      await init();
      if (options?.fresh) return queue.run(() => walkedDigest(db, t));
      return read(() => keptDigest(db.reader, t));
    },
    async bulkLoad(chunks, watermark) {
      await init();
      const write: WriteIn = (fn) =>
        options.write ? options.write(fn) : writeTransaction(db, fn, options);
      // D1 refuses PRAGMA and takes 100 bound values a statement
      const tuning =
        db.kind === "d1"
          ? { pragmas: false, maxBoundValues: 100 }
          : { cacheKib: options.cacheSizeKib ?? 65_536 };
      await bulkLoadSql(write, t, chunks, watermark, tuning);
    },
    async close() {
      await queue.run(async () => {
        if (options.ownsDatabase) db.close();
      });
    },
  };
}
