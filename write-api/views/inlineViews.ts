import { rmSync } from "node:fs";
import type { EventSource } from "../../shared/events/eventSource.ts";
import { readLogToHead } from "../../shared/events/logReader.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import { openFileGenerations } from "../../shared/views/stores/sql/fileGenerations.ts";
import { viewDbUrl } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { type FollowedLog, followLog, logSource } from "./viewFollower.ts";

export interface InlineViews {
  /** a commit appended events up to `version`: the views follow it shortly */
  committed(version: number): void;
  /** resolves once the views hold every event committed before the call */
  fresh(): Promise<void>;
  /** the primary's read side over the views: every read waits for `fresh()` first */
  store: GenerationalStore;
  /** refuses reads from now on (503), lets a running apply finish, closes the views' database */
  stop(): Promise<void>;
}

export interface InlineViewOptions {
  /** the views' own database (`inlineViewsUrl` says where by default) */
  url: string;
  /** events per pull from the log; default 1,000 */
  pageSize?: number;
  /** how long the views may trail a commit when nothing reads them, ms; default 50 */
  followEveryMs?: number;
  /** told when an apply fails (it is retried) */
  onError?: (error: unknown) => void;
}

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

// a new generation is folded in memory and loaded once, not applied batch by batch
const openViewFiles = (log: EventSource, url: string, pageSize: number) =>
  openFileGenerations(url, log, { pageSize, bulkChunk: 5_000 });

/** Deletes a views file that stands past the log's head; any other database is the operator's to empty. */
const forgetViewFile = (url: string, watermark: number, head: number) => {
  const file = viewDbUrl(url);
  const path = file.startsWith("file:") ? file.slice("file:".length) : null;
  if (!path) {
    throw new Error(
      `the inline views in ${url} stand at seq ${watermark}, past the log's head ${head}: they fold another log; empty that database so they are built again`,
    );
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
};

/**
 * The primary's inline views: the same projection and SQL store the replicas
 * use, in a database of their own (`url`, WAL with `synchronous = NORMAL` like
 * a replica's: they are a fold of the log, which keeps FULL), so applying
 * them never holds the writer commands wait for, nor adds to a command's
 * fsync. Opening brings them to the log's head (a primary that predates them,
 * a lost views file; a views file past the head folds another log and is
 * deleted first); then they follow the log a few milliseconds behind the
 * commits (`followLog`), and every read waits until they hold every commit
 * made before it, so `/v1/read/*` answers as fresh as the log. They are
 * generational like a replica's: a new read model version is built from the
 * log beside the live views (`store.buildStep`, bulk loaded) and switched to
 * atomically. `openInlineViewsThread` runs the same in a worker thread.
 *
 * @example
 * const views = await openInlineViews(primary.events, { url: "file:.data/primary.views.db" });
 * const app = createWriteApi({ primary, views, … });
 */
export async function openInlineViews(
  log: FollowedLog,
  options: InlineViewOptions,
): Promise<InlineViews> {
  const pageSize = options.pageSize ?? 1_000;
  const source = logSource(log);
  let store = await openViewFiles(source, options.url, pageSize);
  const [watermark, head] = await Promise.all([store.watermark(), log.head()]).catch(
    async (error: unknown) => {
      await store.close();
      throw error;
    },
  );
  let from = watermark;
  if (watermark > head) {
    // a fold of some other log (the primary's file replaced or reset): start over from this one
    await store.close();
    forgetViewFile(options.url, watermark, head);
    store = await openViewFiles(source, options.url, pageSize);
  }
  try {
    // reopened: what the new file holds (its first generation may have been bulk loaded)
    if (from > head) from = await store.watermark();
    ({ watermark: from } = await readLogToHead(source, store, from, {
      pageSize,
      batchSize: 10_000,
      target: "the inline views",
    }));
  } catch (error) {
    await store.close();
    throw error;
  }
  const follower = followLog(log, store, {
    from,
    everyMs: options.followEveryMs ?? 50,
    // each apply blocks the thread it runs on: keep it to a few hundred ms at most
    batch: 500,
    onError: options.onError,
  });
  return {
    committed: follower.committed,
    fresh: follower.fresh,
    store: freshStore(store, follower.fresh),
    async stop() {
      await follower.stop();
      await store.close();
    },
  };
}
