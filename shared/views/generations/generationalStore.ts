import { AppError } from "../../errors/index.ts";
import type { EventSource } from "../../events/eventSource.ts";
import { LogBehindViewsError, readLogBatch } from "../../events/logReader.ts";
import type { StoredEvent } from "../../events/types.ts";
import { bulkBuild, bulkLoadingWatermark, canBulkLoad } from "../bulkBuild.ts";
import type { StoredRead, ViewStore } from "../viewStore.ts";
import { createApplyGate } from "./applyGate.ts";
import type { GenerationStatus } from "./generationStatus.ts";
import { type ReadModelVersions, type ViewGeneration, viewGeneration } from "./viewGeneration.ts";
import {
  type ActiveNamespace,
  NamespaceRetired,
  retiredWatermark,
  type ViewNamespaces,
} from "./viewNamespaces.ts";

export interface GenerationalStore extends ViewStore {
  generation(): GenerationStatus;
  /** the live namespace, as this process last saw it */
  liveNamespace(): string;
  /**
   * Works on the background build: pulls at most about `maxEvents` events from
   * the log into the new generation, and switches when it has caught up.
   * Returns true when no build is left. Concurrent calls share one run.
   */
  buildStep(maxEvents?: number): Promise<boolean>;
  /** Starts building a fresh generation (the next epoch) even though the versions did not change. */
  rebuild(): Promise<GenerationStatus>;
}

export interface GenerationalStoreOptions {
  namespaces: ViewNamespaces;
  /** the log, read from seq 0 when a generation is built */
  log: EventSource;
  /** each read model's version in this code (`readModelVersions`) */
  versions: ReadModelVersions;
  /** the store's layout version */
  layout: number;
  /** events per pull while building; default 1,000 */
  pageSize?: number;
  /**
   * Events per apply while building (default 10,000): the projection folds a
   * batch before writing, so a product touched often is written once. The
   * primary uses fewer, since each apply holds the writer commands share.
   */
  applyBatch?: number;
  /**
   * Builds a generation from seq 0 by bulk load where its store can
   * (`bulkBuild`): products per load transaction. The first generation of a
   * store never used is loaded so too before it goes live. Off by default: a
   * Worker's cron step must stay bounded, which a bulk load of the whole log
   * is not.
   */
  bulk?: { chunkSize: number };
  now?: () => number;
}

interface Live {
  namespace: string;
  epoch: number;
  store: ViewStore;
}

interface Build {
  generation: ViewGeneration;
  store: ViewStore;
  watermark: number;
  head: number | null;
  applied: number;
  startedAt: string;
  /** a bulk load another run left unfinished (watermark -2) */
  cutShort: boolean;
}

/** Attempts of one operation across switches before it gives up (a switch storm). */
const maxHops = 4;

/**
 * A ViewStore that spans view generations. Reads and live applies go to the
 * active namespace; when the code's read model versions differ from the
 * active namespace's, a new generation is built from the log in its own
 * namespace (`buildStep`, run in the background), and once it has reached the
 * live watermark the store switches in one atomic step and drops the old
 * namespace. Another process that still holds the old namespace sees its
 * retired watermark on the next read or apply and follows.
 *
 * @example
 * const store = await openGenerationalStore({ namespaces, log, versions: readModelVersions, layout: 1 });
 * while (!(await store.buildStep())) {} // in the background; reads keep being served
 */
export async function openGenerationalStore(
  options: GenerationalStoreOptions,
): Promise<GenerationalStore> {
  const { namespaces, log } = options;
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 1_000;
  const applyBatch = Math.max(pageSize, options.applyBatch ?? 10_000);
  const targetAt = (epoch: number) => viewGeneration(options.versions, options.layout, epoch);

  // Assigned by `adopt` before anything can use it.
  let live = {} as Live;
  let build: Build | null = null;
  let lastSwitchAt: string | null = null;
  let lastError: string | null = null;
  let running: Promise<boolean> | null = null;
  const gate = createApplyGate();

  const startBuild = async (generation: ViewGeneration): Promise<void> => {
    const store = await namespaces.open(generation.namespace);
    const watermark = await store.watermark();
    build = {
      generation,
      store,
      // A build interrupted by a restart resumes from its own watermark (a bulk load cut short starts over).
      watermark: Math.max(0, watermark),
      // no apply lands on it: it is loaded again, even where this process builds batch by batch
      cutShort: watermark === bulkLoadingWatermark,
      head: null,
      applied: 0,
      startedAt: new Date(now()).toISOString(),
    };
  };

  /**
   * Makes `active` live here, and starts building the code's generation if it
   * differs; otherwise resumes an operator rebuild (the next epoch) that a
   * restart interrupted, since its namespace holds what it had applied.
   */
  const adopt = async (active: ActiveNamespace): Promise<void> => {
    live = { ...active, store: await namespaces.open(active.namespace) };
    if (build !== null) return;
    const target = targetAt(active.epoch);
    if (target.namespace !== active.namespace) return startBuild(target);
    const next = targetAt(active.epoch + 1);
    if ((await namespaces.list()).includes(next.namespace)) await startBuild(next);
  };

  const initial = await namespaces.active();
  if (initial === null) {
    // A store never used: the code's generation is live at once, loaded from
    // the log first where bulk builds are on (nothing reads it before it is
    // live), else empty, for the caller's catch-up to fill.
    const target = targetAt(0);
    const first = await namespaces.open(target.namespace);
    if (options.bulk !== undefined && (await canBulkLoad(first))) {
      const { head } = await log.pull(0, 1);
      if (head > 0) await bulkBuild(log, first, { pageSize, chunkSize: options.bulk.chunkSize });
    }
    await first.close();
    const outcome = await namespaces.switchTo(null, target);
    const active = outcome.status === "switched" ? target : await namespaces.active();
    if (!active) throw new Error("the view registry is empty right after a switch");
    await adopt(active);
  } else {
    await adopt(initial);
  }

  /** Follows a switch made elsewhere (or here): the stale live is replaced once. */
  const follow = async (stale: Live): Promise<void> => {
    if (live !== stale) return;
    const active = await namespaces.active();
    if (!active || active.namespace === stale.namespace) {
      throw new AppError(
        "unavailable",
        `view namespace "${stale.namespace}" is retired but still registered`,
      );
    }
    await adopt(active);
  };

  const moved = async (current: Live) =>
    (await namespaces.active().catch(() => null))?.namespace !== current.namespace;

  /** Runs `op` on the live namespace, following switches; `retired` spots a read served by a retired one. */
  const onLive = async <T>(
    op: (store: ViewStore) => Promise<T>,
    retired: (result: T) => boolean,
  ): Promise<T> => {
    for (let hop = 0; hop < maxHops; hop++) {
      const current = live;
      try {
        const result = await op(current.store);
        if (!retired(result)) return result;
      } catch (error) {
        // A read cut by the old namespace's drop (here or in another process)
        // is retried on the new one; any other failure is the caller's.
        if (!(error instanceof NamespaceRetired) && current === live && !(await moved(current))) {
          throw error;
        }
      }
      await follow(current);
    }
    throw new AppError("unavailable", "the views switched generation repeatedly; retry");
  };
  const readOnLive = (op: (store: ViewStore) => Promise<StoredRead>) =>
    onLive(op, (r) => r.watermark === retiredWatermark);

  const retire = async (old: Live): Promise<void> => {
    await namespaces.drop(old.namespace);
    // Leftovers of builds that never finished (an abandoned epoch, say).
    for (const namespace of await namespaces.list()) {
      if (namespace !== live.namespace && namespace !== build?.generation.namespace) {
        await namespaces.drop(namespace);
      }
    }
  };

  /** `retireOld` drops the namespace switched away from; `finish` defers it past the gate. */
  const trySwitch = async (
    pending: Build,
    retireOld: (old: Live) => Promise<void> = retire,
  ): Promise<boolean> => {
    const old = live;
    const outcome = await namespaces.switchTo(old.namespace, pending.generation);
    if (outcome.status === "behind") return false;
    if (outcome.status === "switched") {
      live = { ...pending.generation, store: pending.store };
      build = null;
      lastSwitchAt = new Date(now()).toISOString();
      await retireOld(old);
      return true;
    }
    // Someone else switched: follow them, resuming this build only if it is still wanted.
    build = null;
    const active = await namespaces.active();
    if (!active) throw new Error("the view registry lost its active namespace");
    await adopt(active);
    const stillWanted =
      active.namespace === pending.generation.namespace ||
      (build as Build | null)?.generation.namespace === pending.generation.namespace;
    if (!stillWanted) await namespaces.drop(pending.generation.namespace);
    return build === null;
  };

  /** Applies the log's next batch after the build's watermark to the build. */
  const pullInto = async (pending: Build, batchSize: number) => {
    const batch = await readLogBatch(log, pending.store, pending.watermark, {
      pageSize,
      batchSize,
      target: `generation ${pending.generation.namespace} at seq ${pending.watermark}`,
      onPage: (page) => {
        pending.head = page.head;
      },
    });
    pending.applied += batch.applied;
    pending.watermark = batch.watermark;
    return batch;
  };

  /**
   * With this process's live applies held (`gate`): takes the log up to the
   * live watermark and switches, leaving the old namespace to `retireOld`
   * (dropping it can take a while, and applies need not wait for that).
   * False when the switch found the live views moved all the same (another
   * process applied) or retired.
   */
  const finish = async (
    pending: Build,
    retireOld: (old: Live) => Promise<void>,
  ): Promise<boolean> => {
    const target = await live.store.watermark();
    if (target === retiredWatermark) return false;
    while (pending.watermark < target) {
      const batch = await pullInto(pending, applyBatch);
      // An empty batch is the log's head (a hole throws): the live views hold
      // events the log does not, so no build can reach them. Pulling again
      // would spin on the same answer; the step fails and says so instead.
      if (batch.events.length === 0) throw new LogBehindViewsError(target, batch.head);
    }
    return trySwitch(pending, retireOld);
  };

  const step = async (maxEvents: number): Promise<boolean> => {
    let budget = Math.max(1, maxEvents);
    while (build !== null && budget > 0) {
      const pending: Build = build;
      const liveWatermark = await live.store.watermark();
      if (liveWatermark === retiredWatermark) {
        await follow(live);
        continue;
      }
      if (pending.watermark >= liveWatermark && (await trySwitch(pending))) return build === null;
      if (pending.head !== null && pending.watermark >= pending.head) {
        // At the log's head but behind the live views: writes are arriving.
        const before = pending.applied;
        let old: Live | null = null;
        const switched = await gate.closedFor(() =>
          finish(pending, async (o) => {
            old = o;
          }),
        );
        if (old !== null) await retire(old);
        if (switched) return build === null;
        budget -= Math.max(1, pending.applied - before);
        continue;
      }
      const bulk = options.bulk !== undefined || pending.cutShort;
      if (bulk && pending.watermark === 0 && (await canBulkLoad(pending.store))) {
        const loaded = await bulkBuild(log, pending.store, {
          pageSize,
          chunkSize: options.bulk?.chunkSize,
          onBatch: (batch) => {
            pending.head = batch.head;
          },
        });
        pending.applied += loaded.watermark;
        pending.watermark = loaded.watermark;
        pending.cutShort = false;
        budget -= Math.max(1, loaded.watermark);
        continue;
      }
      const batch = await pullInto(pending, Math.min(applyBatch, budget));
      budget -= Math.max(1, batch.events.length);
    }
    return build === null;
  };

  const generation = (): GenerationStatus => {
    const pending = build as Build | null;
    return {
      active: live.namespace,
      epoch: live.epoch,
      versions: options.versions,
      building: pending && {
        namespace: pending.generation.namespace,
        epoch: pending.generation.epoch,
        watermark: pending.watermark,
        head: pending.head,
        applied: pending.applied,
        startedAt: pending.startedAt,
      },
      lastSwitchAt,
      lastError,
    };
  };

  return {
    generation,
    liveNamespace: () => live.namespace,
    buildStep(maxEvents = 5_000) {
      running ??= step(maxEvents)
        .then(
          (done) => {
            lastError = null;
            return done;
          },
          (error: unknown) => {
            lastError = error instanceof Error ? error.message : String(error);
            throw error;
          },
        )
        .finally(() => {
          running = null;
        });
      return running;
    },
    async rebuild() {
      if (build === null) await startBuild(targetAt(live.epoch + 1));
      return generation();
    },
    apply: (events: readonly StoredEvent[]) =>
      gate.pass(() =>
        onLive(
          (s) => s.apply(events),
          () => false,
        ),
      ),
    watermark: () =>
      onLive(
        (s) => s.watermark(),
        (w) => w === retiredWatermark,
      ),
    read: (model, plan) => readOnLive((s) => s.read(model, plan)),
    digest: (options) =>
      onLive(
        (s) => s.digest(options),
        (r) => r.watermark === retiredWatermark,
      ),
    async close() {
      await running?.catch(() => false);
      await (build as Build | null)?.store.close();
      await live.store.close();
    },
  };
}
