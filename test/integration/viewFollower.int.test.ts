import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../local/qstash/testing/localAdmin.ts";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { readViewWatermark } from "../../shared/views/stores/sql/applyEvents.ts";
import { openViewDb } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { activeNamespaceIn } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewTables } from "../../shared/views/stores/sql/tables.ts";
import { commitCommands } from "../../write-api/commands/commitCommands.ts";
import { timeOrderedIds } from "../../write-api/commands/ids.ts";
import { openPrimary, type Primary } from "../../write-api/db/openPrimary.ts";
import { restoreEvents } from "../../write-api/eventStore/eventStore.ts";
import {
  categoryCreate,
  categoryCreatedRow,
  productCreate,
} from "../../write-api/testing/catalogFixtures.ts";
import { openInlineViews } from "../../write-api/views/inlineViews.ts";
import {
  type InlineViewsThread,
  openInlineViewsThread,
} from "../../write-api/views/viewsThread.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Host = "main" | "worker";

const setup = async (host: Host, followEveryMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-follow-"));
  const primaryUrl = `file:${join(dir, "primary.db")}`;
  const primary = await openPrimary({ url: primaryUrl });
  const errors: unknown[] = [];
  const viewsFile = join(dir, "primary.views.db");
  const options = {
    url: `file:${viewsFile}`,
    followEveryMs,
    onError: (e: unknown) => errors.push(e),
  };
  const views =
    host === "main"
      ? await openInlineViews(primary.events, options)
      : await openInlineViewsThread({
          ...options,
          primary: { url: primaryUrl, busyTimeoutMs: 5_000 },
        });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => primary.close());
  cleanups.push(() => views.stop());
  const commit = (body: unknown) =>
    commitCommands(
      {
        write: primary.write,
        ids: timeOrderedIds,
        idempotencyTtlMs: 60_000,
        onCommitted: views.committed,
      },
      { commands: parseCommands(body) },
    );
  // a connection of its own on the views' file: what is stored, without waiting for them to be fresh
  const peek = await openViewDb(viewsFile);
  cleanups.push(() => peek.close());
  const storedWatermark = async () => {
    const active = await activeNamespaceIn(peek.reader);
    if (!active) throw new Error("no live namespace");
    return readViewWatermark(peek.reader, viewTables(active.namespace));
  };
  return { primary, views, commit, errors, storedWatermark };
};

const headOf = (primary: Primary) => primary.events.head();

describe.each<Host>(["main", "worker"])(
  "the inline views following the log (%s thread)",
  (host) => {
    it("trail the commits, catch up on their own, and hold every commit once a read asks", async () => {
      const { primary, views, commit, storedWatermark } = await setup(host, 60_000);
      await commit(categoryCreate("lamps"));
      await commit(productCreate("desk-lamp", "lamps"));
      // not applied inside the commands' transactions, and not yet on their own
      expect(await storedWatermark()).toBe(0);
      // a read waits until they hold everything committed before it
      expect(await views.store.watermark()).toBe(await headOf(primary));
      expect(await storedWatermark()).toBe(2);
      expect((await views.store.digest()).watermark).toBe(2);
    });

    it("apply what commits announce without any read", async () => {
      const { commit, storedWatermark } = await setup(host, 5);
      await commit(categoryCreate("rugs"));
      await commit({ commands: [productCreate("a", "rugs"), productCreate("b", "rugs")] });
      await waitFor(async () => (await storedWatermark()) === 3, 5_000, "the views at 3");
    });

    it("refuse reads with 503 once stopped, those waiting and those after", async () => {
      const { views, commit } = await setup(host, 60_000);
      await commit(categoryCreate("lamps"));
      const waiting = views.fresh();
      views.stop();
      await expect(waiting).rejects.toMatchObject({ code: "unavailable", status: 503 });
      await expect(views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
    });

    it("answer a read with 503 while they cannot apply the log, and heal once they can", async () => {
      const { primary, views, commit, errors, storedWatermark } = await setup(host, 60_000);
      await commit(categoryCreate("vases"));
      // damage no command makes: seq 3 stored without seq 2
      await primary.write((tx) => restoreEvents(tx, [categoryCreatedRow(3, "urns")]));
      await expect(views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
      expect(String(errors[0])).toMatch(/missing seqs 2-2/);
      // the follower retries with backoff: once the log is whole, it applies
      await primary.write((tx) => restoreEvents(tx, [categoryCreatedRow(2, "jugs")]));
      await waitFor(async () => (await storedWatermark()) === 3, 10_000, "the views healed");
      expect(await views.store.watermark()).toBe(3);
    });
  },
);

describe("the inline views' thread", () => {
  it("is started again when it dies, reads answering 503 until it has caught up", async () => {
    const { views: opened, commit, errors } = await setup("worker", 5);
    const views = opened as InlineViewsThread;
    await commit(categoryCreate("lamps"));
    expect(await views.store.watermark()).toBe(1);

    const first = views.thread();
    await first?.terminate();
    await expect(views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
    expect(String(errors.at(-1))).toMatch(/views thread exited/);
    // committed while no thread ran: the next one catches up from the log
    await commit(categoryCreate("rugs"));
    await waitFor(async () => views.thread() !== null, 10_000, "a new views thread");
    expect(views.thread()).not.toBe(first);
    expect(await views.store.watermark()).toBe(2);
  });
});
