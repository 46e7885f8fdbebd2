import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import { silentLogger } from "../../shared/logging/logger.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../shared/views/generations/generationalStore.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import type { SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { openViewDb } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion, viewTables } from "../../shared/views/stores/sql/tables.ts";
import { createReaderMetrics } from "../metrics/readerMetrics.ts";
import { createSelfHeal, type SelfHealDeps } from "./selfHeal.ts";
import type { DigestAt } from "./selfHealDecision.ts";

// a file, not :memory:, so the tampering write runs on a connection of its own as a stray process's would
const dir = mkdtempSync(join(tmpdir(), "self-heal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const opened: GenerationalStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

const openStore = async (events: StoredEvent[], db?: SqlDatabase) => {
  const store = await openGenerationalStore({
    namespaces: sqlViewNamespaces(db ?? (await openViewDb(":memory:"))),
    log: memoryEventSource(events),
    versions: readModelVersions,
    layout: viewSchemaVersion,
  });
  opened.push(store);
  await store.apply(events);
  return store;
};

/** The primary's side: a second, untouched store of the same log, as its inline views are. */
const primaryOf = (store: GenerationalStore) => async (): Promise<DigestAt> => ({
  ...(await store.digest()),
  versions: store.generation().versions,
});

/** Changes a stored product page behind the store's back, as a disk fault or a stray UPDATE would. */
const tamper = (db: SqlDatabase, store: GenerationalStore) =>
  db.transaction("write", async (tx) => {
    const page = viewTables(store.generation().active).page;
    await tx.run(
      `UPDATE ${page} SET data = replace(data, '"name":"', '"name":"tampered ') WHERE slug = (SELECT min(slug) FROM ${page})`,
    );
  });

async function replicaWithPrimary(over: Partial<SelfHealDeps> = {}) {
  const events = generateHistory(150, 7);
  const db = await openViewDb(join(dir, `replica-${files++}.db`));
  const replica = await openStore(events, db);
  const primary = await openStore(events);
  const metrics = createReaderMetrics();
  let kicks = 0;
  const heal = createSelfHeal({
    store: replica,
    generations: {
      store: replica,
      kick: () => {
        kicks++;
        return undefined;
      },
    },
    primary: primaryOf(primary),
    checkIntervalMs: 0,
    minIntervalMs: 60_000,
    metrics,
    log: silentLogger,
    ...over,
  });
  return { events, db, replica, primary, heal, metrics, kicks: () => kicks };
}

describe("self-heal: a replica compares its views with the primary's and rebuilds them when they differ", () => {
  it("agrees with an untouched replica and begins nothing", async () => {
    const { heal, replica, kicks } = await replicaWithPrimary();
    expect((await heal.check()).verdict).toEqual({ kind: "agree" });
    expect(replica.generation().building).toBeNull();
    expect(kicks()).toBe(0);
    expect(heal.status()).toMatchObject({ checks: 1, lastVerdict: "agree", heals: 0 });
  });

  it("finds views changed behind the store's back (the kept digest does not), rebuilds them and switches to views equal to the primary's", async () => {
    const { heal, replica, primary, db, kicks, metrics } = await replicaWithPrimary();
    const before = replica.generation();
    await tamper(db, replica);
    // what the store keeps still says all is well: only a walk sees the damage
    expect((await replica.digest()).digest).toBe((await primary.digest()).digest);
    expect((await replica.digest({ fresh: true })).digest).not.toBe(
      (await primary.digest()).digest,
    );

    expect((await heal.check()).verdict).toEqual({ kind: "heal" });
    expect(kicks()).toBe(1);
    expect(replica.generation().building).toMatchObject({ epoch: before.epoch + 1 });
    while (!(await replica.buildStep())) {}
    expect(replica.generation().active).not.toBe(before.active);
    expect((await replica.digest({ fresh: true })).digest).toBe((await primary.digest()).digest);
    expect(heal.status()).toMatchObject({ heals: 1, lastVerdict: "heal" });
    expect(await metrics.render()).toMatch(/cqrs_self_heals_total 1/);
  });

  it("does not rebuild again within the bound after a switch, however often it is asked", async () => {
    let now = Date.parse("2026-12-03T12:00:00Z");
    const { heal, replica, db, kicks } = await replicaWithPrimary({ now: () => now });
    await tamper(db, replica);
    expect((await heal.check()).verdict?.kind).toBe("heal");
    while (!(await replica.buildStep())) {}
    // damaged again at once: a flapping store or primary must not make it rebuild in a loop
    await tamper(db, replica);
    for (let i = 0; i < 5; i++) {
      const { verdict } = await heal.check();
      expect(verdict).toMatchObject({ kind: "held", reason: "the last switch was too recent" });
    }
    expect(kicks()).toBe(1);
    now += 60_000;
    const lastSwitch = Date.parse(replica.generation().lastSwitchAt ?? "");
    if (now < lastSwitch + 60_000) now = lastSwitch + 60_000;
    expect((await heal.check()).verdict?.kind).toBe("heal");
    expect(kicks()).toBe(2);
  });

  it("compares nothing while behind the primary, and walks the views at most once per check interval", async () => {
    const { heal, replica, primary, events } = await replicaWithPrimary({
      checkIntervalMs: 3_600_000,
    });
    const more = generateHistory(170, 7).slice(events.length);
    await primary.apply(more);
    expect((await heal.check()).verdict).toBeNull();
    expect(heal.status().checks).toBe(0);
    await replica.apply(more);
    expect((await heal.check()).verdict).toEqual({ kind: "agree" });
    expect((await heal.check()).verdict).toBeNull();
    expect(heal.status().checks).toBe(1);
  });
});
