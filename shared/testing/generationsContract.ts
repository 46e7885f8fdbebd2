import { describe, expect, it } from "vitest";
import type { EventSource } from "../events/eventSource.ts";
import type { StoredEvent } from "../events/types.ts";
import { createBulkFold } from "../projection/bulkFold.ts";
import type { ViewRecord } from "../projection/records.ts";
import { bulkLoadingWatermark } from "../views/bulkBuild.ts";
import {
  type GenerationalStoreOptions,
  openGenerationalStore,
} from "../views/generations/generationalStore.ts";
import { viewGeneration } from "../views/generations/viewGeneration.ts";
import {
  NamespaceRetired,
  retiredWatermark,
  type ViewNamespaces,
} from "../views/generations/viewNamespaces.ts";
import { mentionsOf } from "../views/models/examples.ts";
import { readModelVersions } from "../views/models/readModelVersions.ts";
import { createMemoryViewStore } from "../views/stores/memory/memoryViewStore.ts";
import type { ViewStore } from "../views/viewStore.ts";
import { viewSnapshot } from "./compareViews.ts";
import { openedPerTest } from "./contract/harness.ts";
import { readsOf } from "./modelReads.ts";
import { generateHistory } from "./randomHistory.ts";

/**
 * Opens the namespaces of one fresh database; `second` opens another handle
 * on the same database, as a second process or Worker isolate would.
 */
export type NamespacesFactory = () => Promise<{
  namespaces: ViewNamespaces;
  second(): Promise<ViewNamespaces>;
  /** makes a namespace look written by the store's previous storage layout */
  ageLayout(namespace: string): Promise<void>;
  cleanup(): Promise<void>;
}>;

/** A log that grows as the test commits, served as the write API's `/v1/events` would. */
function growingLog(events: readonly StoredEvent[]) {
  const all = [...events];
  const source: EventSource = {
    async pull(after, limit) {
      return {
        events: all.filter((e) => e.seq > after).slice(0, limit),
        head: all.at(-1)?.seq ?? 0,
      };
    },
  };
  return { source, all };
}

const layout = 1;
const versionsA = readModelVersions;
const versionsB = { ...readModelVersions, search: (readModelVersions.search ?? 0) + 1 };

/** The generational store at version A over `namespaces`, as code at A opens it. */
const openAtA = (
  namespaces: ViewNamespaces,
  log: ReturnType<typeof growingLog>,
  options: Partial<GenerationalStoreOptions> = {},
) =>
  openGenerationalStore({ namespaces, log: log.source, versions: versionsA, layout, ...options });

async function referenceOf(events: readonly StoredEvent[]): Promise<ViewStore> {
  const store = createMemoryViewStore();
  await store.apply(events);
  return store;
}

/**
 * The contract of `ViewNamespaces` adapters, and of the generational store
 * over them: isolation, the atomic switch with its watermark check, retired
 * namespaces refusing applies, and a version change rebuilt in the
 * background while every read keeps answering, ending equal to a rebuild.
 *
 * @example
 * testViewNamespaces("SQL", async () => { … return { namespaces, second, cleanup }; });
 */
export function testViewNamespaces(name: string, factory: NamespacesFactory): void {
  describe(`ViewNamespaces contract: ${name}`, () => {
    const open = openedPerTest(factory);
    const history = generateHistory(400, 7);
    const a = viewGeneration(versionsA, layout, 0);
    const b = viewGeneration(versionsB, layout, 0);

    /** Live views at version A holding the log's first 300 events. */
    const liveAtA = async () => {
      const { namespaces, second } = await open();
      const log = growingLog(history.slice(0, 300));
      const first = await openGenerationalStore({
        namespaces,
        log: log.source,
        versions: versionsA,
        layout,
      });
      await first.apply(log.all);
      expect(first.generation().building).toBeNull();
      return { namespaces, second, log, first };
    };

    /**
     * `liveAtA`, and the same database opened by code at version B (`options`
     * for it): a build of B starts beside the live views.
     */
    const liveThenUpgraded = async (options: Partial<GenerationalStoreOptions>) => {
      const { namespaces, second, log, first } = await liveAtA();
      const upgraded = await openGenerationalStore({
        namespaces: await second(),
        log: log.source,
        versions: versionsB,
        layout,
        ...options,
      });
      return { namespaces, log, first, upgraded };
    };

    it("keeps namespaces apart and switches only to one that has caught up", async () => {
      const { namespaces } = await open();
      expect(await namespaces.active()).toBeNull();
      const storeA = await namespaces.open(a.namespace);
      const storeB = await namespaces.open(b.namespace);
      expect(await namespaces.switchTo(null, a)).toEqual({ status: "switched" });
      expect(await namespaces.active()).toEqual({ namespace: a.namespace, epoch: 0 });

      await storeA.apply(history);
      expect(await storeB.watermark()).toBe(0);
      expect(await namespaces.switchTo(a.namespace, b)).toMatchObject({ status: "behind" });
      expect(await namespaces.switchTo(b.namespace, a)).toMatchObject({ status: "moved" });

      await storeB.apply(history);
      const digest = (await storeA.digest()).digest;
      expect((await storeB.digest()).digest).toBe(digest);
      let slug = "";
      for (const candidate of mentionsOf(history).productSlugs) {
        if ((await readsOf(storeA).productPage({ slug: candidate })).data) slug ||= candidate;
      }
      expect(slug).not.toBe("");
      expect(await namespaces.switchTo(a.namespace, b)).toEqual({ status: "switched" });
      expect(await namespaces.active()).toEqual({ namespace: b.namespace, epoch: 0 });

      // The old namespace is retired: reads say so, applies are refused unchanged.
      expect(await storeA.watermark()).toBe(retiredWatermark);
      expect((await readsOf(storeA).productPage({ slug })).watermark).toBe(retiredWatermark);
      const next = { ...(history.at(-1) as StoredEvent), seq: history.length + 1 };
      await expect(storeA.apply([next])).rejects.toBeInstanceOf(NamespaceRetired);

      await expect(namespaces.drop(b.namespace)).rejects.toThrow(/active/);
      await namespaces.drop(a.namespace);
      expect(await namespaces.list()).toEqual([b.namespace]);
      expect((await readsOf(storeB).productPage({ slug })).data).not.toBeNull();
      expect((await storeB.digest()).digest).toBe(digest);
    });

    /** Commits the rest of the history to the log and the views, which then equal a rebuild. */
    const endsEqualToRebuild = async (log: ReturnType<typeof growingLog>, store: ViewStore) => {
      const rest = history.slice(log.all.length);
      log.all.push(...rest);
      await store.apply(rest);
      const reference = await referenceOf(history);
      expect(await viewSnapshot(store, history)).toEqual(await viewSnapshot(reference, history));
      expect((await store.digest({ fresh: true })).digest).toBe((await reference.digest()).digest);
    };

    it("rebuilds a changed version in the background, answering every read, then switches", async () => {
      const { namespaces, log, first, upgraded } = await liveThenUpgraded({ pageSize: 37 });
      expect(first.generation()).toMatchObject({ active: a.namespace });

      // The same database, opened by code with a new version: a build starts beside the live views.
      expect(upgraded.generation()).toMatchObject({
        active: a.namespace,
        building: { namespace: b.namespace },
      });
      let steps = 0;
      for (let done = false; !done; steps++) {
        // Every read keeps answering from the old generation, which keeps applying.
        const before = await viewSnapshot(upgraded, history);
        expect(Object.keys(before).length).toBeGreaterThan(0);
        const committed = log.all.length;
        if (committed < history.length) {
          const more = history.slice(committed, committed + 10);
          log.all.push(...more);
          await upgraded.apply(more);
        }
        done = await upgraded.buildStep(50);
      }
      expect(steps).toBeGreaterThan(2);
      expect(upgraded.generation()).toMatchObject({ active: b.namespace, building: null });
      expect(upgraded.generation().lastSwitchAt).not.toBeNull();
      expect(await namespaces.list()).toEqual([b.namespace]);

      // The rest of the log reaches the new generation, which equals a rebuild.
      const rest = history.slice(log.all.length);
      log.all.push(...rest);
      await upgraded.apply(rest);
      const reference = await referenceOf(history);
      expect((await upgraded.digest()).digest).toBe((await reference.digest()).digest);
      expect(await viewSnapshot(upgraded, history)).toEqual(await viewSnapshot(reference, history));

      // A process still on the old namespace follows on its next read and apply.
      expect(await first.watermark()).toBe(history.length);
      expect(first.liveNamespace()).toBe(b.namespace);
      expect((await first.digest()).digest).toBe((await reference.digest()).digest);
      await first.close();
      await upgraded.close();
    });

    it("switches while writes keep arriving, one during every pull of its build", async () => {
      const { log, first, upgraded } = await liveThenUpgraded({ pageSize: 37 });
      // Each pull commits one more event, which reaches the live views meanwhile, as a push
      // would: in commit order, each after the one before.
      const pushed: string[] = [];
      let pushes = Promise.resolve();
      const pull = log.source.pull;
      log.source.pull = async (after, limit) => {
        const page = await pull(after, limit);
        const next = history[log.all.length];
        if (next) {
          log.all.push(next);
          pushes = pushes.then(async () => {
            pushed.push((await upgraded.apply([next])).status);
          });
        }
        return page;
      };
      while (!(await upgraded.buildStep(50))) {}
      await pushes;
      // (a push held while the build switched finds its event already taken from the log)
      expect(pushed.filter((status) => status !== "applied" && status !== "duplicate")).toEqual([]);
      // It switched with writes still coming, not once they stopped.
      expect(log.all.length).toBeLessThan(history.length);
      expect(upgraded.generation()).toMatchObject({ active: b.namespace, building: null });

      await endsEqualToRebuild(log, upgraded);
      await first.close();
      await upgraded.close();
    });

    it("builds a version change by bulk load where the store can, then follows the log and switches equal to a rebuild", async () => {
      const { log, first, upgraded } = await liveThenUpgraded({
        pageSize: 37,
        bulk: { chunkSize: 40 },
      });
      for (let done = false; !done; ) {
        const committed = log.all.length;
        if (committed < history.length) {
          const more = history.slice(committed, committed + 25);
          log.all.push(...more);
          await upgraded.apply(more);
        }
        done = await upgraded.buildStep(50);
      }
      expect(upgraded.generation()).toMatchObject({ active: b.namespace, building: null });
      await endsEqualToRebuild(log, upgraded);
      await first.close();
      await upgraded.close();
    });

    it("loads a store never used from the log before it goes live, where bulk builds are on", async () => {
      const { namespaces } = await open();
      const store = await openAtA(namespaces, growingLog(history), {
        pageSize: 37,
        bulk: { chunkSize: 40 },
      });
      expect(store.generation()).toMatchObject({ active: a.namespace, building: null });
      expect(await store.watermark()).toBe(history.at(-1)?.seq);
      const reference = await referenceOf(history);
      expect(await viewSnapshot(store, history)).toEqual(await viewSnapshot(reference, history));
      expect((await store.digest({ fresh: true })).digest).toBe((await reference.digest()).digest);
      await store.close();
    });

    it("loads again a bulk load cut short, even where it builds batch by batch", async () => {
      const { namespaces, second, log, first } = await liveAtA();
      // a process with bulk loads died mid-load of version B's namespace
      const cut = await namespaces.open(b.namespace);
      expect(cut.bulkLoad).toBeDefined();
      const fold = createBulkFold();
      fold.add(log.all);
      function* dying(): Generator<ViewRecord[]> {
        const [chunk] = fold.records(10);
        if (chunk) yield chunk;
        throw new Error("killed mid-load");
      }
      await expect(cut.bulkLoad?.(dying(), fold.watermark)).rejects.toThrow("killed mid-load");
      expect(await cut.watermark()).toBe(bulkLoadingWatermark);

      const upgraded = await openGenerationalStore({
        namespaces: await second(),
        log: log.source,
        versions: versionsB,
        layout,
      });
      expect(upgraded.generation().building).toMatchObject({
        namespace: b.namespace,
        watermark: 0,
      });
      while (!(await upgraded.buildStep(100))) {}
      const reference = await referenceOf(log.all);
      expect(await viewSnapshot(upgraded, log.all)).toEqual(await viewSnapshot(reference, log.all));
      await first.close();
      await upgraded.close();
    });

    it("answers no read from a namespace of an older storage layout, keeps its watermark moving, and switches to the rebuilt one", async () => {
      const { namespaces, second, ageLayout } = await open();
      const log = growingLog(history.slice(0, 200));
      const old = await openGenerationalStore({
        namespaces,
        log: log.source,
        versions: versionsA,
        layout,
      });
      await old.apply(log.all);
      await old.close();
      await ageLayout(a.namespace);

      // New code: a new layout, so a new namespace is built while the old one is frozen.
      const store = await openGenerationalStore({
        namespaces: await second(),
        log: log.source,
        versions: versionsA,
        layout: layout + 1,
      });
      expect(store.generation()).toMatchObject({ active: a.namespace, building: {} });
      const [slug] = mentionsOf(history).productSlugs;
      await expect(readsOf(store).productPage({ slug: slug ?? "" })).rejects.toMatchObject({
        status: 503,
        code: "unavailable",
      });
      const more = history.slice(200, 300);
      log.all.push(...more);
      expect(await store.apply(more)).toMatchObject({ status: "applied", watermark: 300 });
      expect(await store.apply(more)).toMatchObject({ status: "duplicate", watermark: 300 });
      expect(await store.apply(history.slice(301, 310))).toMatchObject({ status: "gap" });

      while (!(await store.buildStep(100))) {}
      expect(store.generation()).toMatchObject({ building: null });
      expect(store.liveNamespace()).not.toBe(a.namespace);
      const reference = await referenceOf(history.slice(0, 300));
      expect(await store.watermark()).toBe(300);
      expect((await store.digest()).digest).toBe((await reference.digest()).digest);
      expect(await viewSnapshot(store, history)).toEqual(await viewSnapshot(reference, history));
      await store.close();
    });

    it("rebuilds on request at the next epoch and keeps that epoch after a restart", async () => {
      const { namespaces, second } = await open();
      const log = growingLog(history);
      const store = await openAtA(namespaces, log);
      await store.apply(history);
      const digest = (await store.digest()).digest;
      expect((await store.rebuild()).building).toMatchObject({ epoch: 1 });
      while (!(await store.buildStep(100))) {}
      const rebuilt = viewGeneration(versionsA, layout, 1).namespace;
      expect(store.generation()).toMatchObject({ active: rebuilt, epoch: 1, building: null });
      expect((await store.digest()).digest).toBe(digest);
      await store.close();

      const restarted = await openGenerationalStore({
        namespaces: await second(),
        log: log.source,
        versions: versionsA,
        layout,
      });
      expect(restarted.generation()).toMatchObject({ active: rebuilt, building: null });
      await restarted.close();
    });

    it("resumes an operator rebuild a restart interrupted from the new namespace's own watermark, then switches", async () => {
      const { namespaces, second } = await open();
      const log = growingLog(history);
      const options = { log: log.source, versions: versionsA, layout, pageSize: 50 };
      const store = await openGenerationalStore({ namespaces, ...options, applyBatch: 50 });
      await store.apply(history);
      const digest = (await store.digest()).digest;
      await store.rebuild();
      await store.buildStep(100);
      const interrupted = store.generation().building;
      expect(interrupted).toMatchObject({ epoch: 1, watermark: 100 });
      await store.close(); // the process dies mid-rebuild

      const pulledFrom: number[] = [];
      const pull = (after: number, limit: number) => {
        pulledFrom.push(after);
        return log.source.pull(after, limit);
      };
      const restarted = await openGenerationalStore({
        namespaces: await second(),
        ...options,
        log: { pull },
      });
      expect(restarted.generation().building).toMatchObject({
        namespace: interrupted?.namespace,
        epoch: 1,
        watermark: 100,
        applied: 0,
      });
      while (!(await restarted.buildStep(100))) {}
      expect(pulledFrom[0]).toBe(100);
      expect(restarted.generation()).toMatchObject({ active: interrupted?.namespace, epoch: 1 });
      expect((await restarted.digest()).digest).toBe(digest);
      await restarted.close();
    });
  });
}
