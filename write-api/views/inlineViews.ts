import type { EventSource } from "../../shared/events/eventSource.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import type { SqlConnection, SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion } from "../../shared/views/stores/sql/tables.ts";
import type { Primary } from "../db/openPrimary.ts";
import { applyLogPage, followLog } from "./viewFollower.ts";

export interface InlineViews {
  /** a commit appended events up to `version`: the views follow it shortly */
  committed(version: number): void;
  /** resolves once the views hold every event committed before the call */
  fresh(): Promise<void>;
  /** the primary's read side over the views: every read waits for `fresh()` first */
  store: GenerationalStore;
  stop(): void;
}

/** The primary's own log, as a reader's `/v1/events` pull would see it. */
export const primaryLog = (primary: Primary): EventSource => ({
  pull: (after, limit) => primary.events.read(after, limit),
});

/**
 * Brings the live namespace up to the log's head before the API takes writes
 * (a primary that predates its views, or one whose last build switched while
 * it was behind). A table migration never triggers a rebuild.
 */
export async function catchUpInlineViews(primary: Primary, pageSize = 1_000): Promise<number> {
  let applied = 0;
  for (;;) {
    const step = await primary.write((tx) => applyLogPage(tx, pageSize));
    applied += step.applied;
    if (step.watermark >= step.head) return applied;
  }
}

/**
 * The primary's database as the view store sees it: reads on the primary's
 * read pool, writes only through its serialized writer (so a view build
 * never contends with commands for SQLite's lock).
 */
const primaryViewDb = (primary: Primary): SqlDatabase => ({ ...primary.reads, close() {} });

/** Runs `fn` in the primary's next write transaction, as the view store's connection. */
const primaryWriter =
  (primary: Primary) =>
  <T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T> =>
    primary.write(fn);

/**
 * A store whose reads first wait until the views hold every commit made
 * before the read: the primary answers as fresh as its log, while the views
 * are applied beside the commands rather than inside them.
 */
const freshStore = (store: GenerationalStore, fresh: () => Promise<void>): GenerationalStore => ({
  apply: (events) => store.apply(events),
  watermark: async () => {
    await fresh();
    return store.watermark();
  },
  read: async (model, plan) => {
    await fresh();
    return store.read(model, plan);
  },
  digest: async (options) => {
    await fresh();
    return store.digest(options);
  },
  close: () => store.close(),
  generation: () => store.generation(),
  liveNamespace: () => store.liveNamespace(),
  buildStep: (maxEvents) => store.buildStep(maxEvents),
  rebuild: () => store.rebuild(),
});

export interface InlineViewOptions {
  /** events per catch-up page; default 1,000 */
  pageSize?: number;
  /** how long the views may trail a commit when nothing reads them, ms; default 50 */
  followEveryMs?: number;
  /** told when an apply fails (it is retried) */
  onError?: (error: unknown) => void;
}

/**
 * The primary's inline views: the same projection and SQL store the replicas
 * use, in the primary's own file. They follow the log a few milliseconds
 * behind the commits, in batches through the same writer (`followLog`), and
 * every read waits until they hold every commit made before it, so
 * `/v1/read/*` answers every read path from the primary as fresh as its log.
 * They are
 * generational like a replica's: a new read model version is built from the
 * primary's own log beside the live views (`store.buildStep`, run in the
 * background through the same serialized writer as commands) and switched to
 * atomically; the views never need a drizzle-kit migration, nor the reverse.
 *
 * @example
 * const views = await openInlineViews(primary);
 * const app = createWriteApi({ primary, views, … });
 */
export async function openInlineViews(
  primary: Primary,
  options: InlineViewOptions = {},
): Promise<InlineViews> {
  const pageSize = options.pageSize ?? 1_000;
  const store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(primaryViewDb(primary), { write: primaryWriter(primary) }),
    log: primaryLog(primary),
    versions: readModelVersions,
    layout: viewSchemaVersion,
    pageSize,
    // each build apply holds the writer commands wait for: keep it to a few hundred ms
    applyBatch: 2_000,
    // so does each bulk load transaction: some 6,000 rows
    bulk: { chunkSize: 1_000 },
  });
  await catchUpInlineViews(primary, pageSize);
  const follower = followLog(primary, {
    from: await store.watermark(),
    everyMs: options.followEveryMs ?? 50,
    // each apply holds the writer commands wait for: keep it to a few hundred ms at most
    batch: 500,
    onError: options.onError,
  });
  return {
    committed: follower.committed,
    fresh: follower.fresh,
    store: freshStore(store, follower.fresh),
    stop: follower.stop,
  };
}
