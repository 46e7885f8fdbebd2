import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../local/qstash/testing/localAdmin.ts";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { readViewWatermark } from "../../shared/views/stores/sql/applyEvents.ts";
import { activeNamespaceIn } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewTables } from "../../shared/views/stores/sql/tables.ts";
import { commitCommands } from "../../write-api/commands/commitCommands.ts";
import { randomIds } from "../../write-api/commands/ids.ts";
import { openPrimary, type Primary } from "../../write-api/db/openPrimary.ts";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";
import { openInlineViews } from "../../write-api/views/inlineViews.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const setup = async (followEveryMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-follow-"));
  const primary = await openPrimary({ url: `file:${join(dir, "primary.db")}` });
  const errors: unknown[] = [];
  const views = await openInlineViews(primary, {
    followEveryMs,
    onError: (e) => errors.push(e),
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => primary.close());
  cleanups.push(() => views.stop());
  const commit = (body: unknown) =>
    commitCommands(
      {
        write: primary.write,
        ids: randomIds,
        idempotencyTtlMs: 60_000,
        onCommitted: views.committed,
      },
      { commands: parseCommands(body) },
    );
  return { primary, views, commit, errors };
};

/** The live views' watermark as stored, without waiting for them to be fresh. */
const storedWatermark = async (primary: Primary) => {
  const active = await activeNamespaceIn(primary.reads.reader);
  if (!active) throw new Error("no live namespace");
  return readViewWatermark(primary.reads.reader, viewTables(active.namespace));
};

const headOf = (primary: Primary) => primary.events.head();

describe("the inline views following the log", () => {
  it("trail the commits, catch up on their own, and hold every commit once a read asks", async () => {
    const { primary, views, commit } = await setup(60_000);
    await commit(categoryCreate("lamps"));
    await commit(productCreate("desk-lamp", "lamps"));
    // not applied inside the commands' transactions, and not yet on their own
    expect(await storedWatermark(primary)).toBe(0);
    // a read waits until they hold everything committed before it
    expect(await views.store.watermark()).toBe(await headOf(primary));
    expect(await storedWatermark(primary)).toBe(2);
    expect((await views.store.digest()).watermark).toBe(2);
  });

  it("apply what commits announce without any read", async () => {
    const { primary, commit } = await setup(5);
    await commit(categoryCreate("rugs"));
    await commit({ commands: [productCreate("a", "rugs"), productCreate("b", "rugs")] });
    await waitFor(async () => (await storedWatermark(primary)) === 3, 5_000, "the views at 3");
  });

  it("refuse reads with 503 once stopped, those waiting and those after", async () => {
    const { views, commit } = await setup(60_000);
    await commit(categoryCreate("lamps"));
    const waiting = views.fresh();
    views.stop();
    await expect(waiting).rejects.toMatchObject({ code: "unavailable", status: 503 });
    await expect(views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });

  it("answer a read with 503 while the primary cannot take their apply, and heal once it can", async () => {
    const { primary, views, commit, errors } = await setup(60_000);
    await commit(categoryCreate("vases"));
    await primary.write((tx) => tx.run("PRAGMA query_only = 1"));
    await expect(views.fresh()).rejects.toMatchObject({ code: "unavailable", status: 503 });
    expect(errors.length).toBeGreaterThan(0);
    // the writer dropped the read-only connection: the retry applies on a fresh one
    await waitFor(async () => (await storedWatermark(primary)) === 1, 10_000, "the views healed");
    expect(await views.store.watermark()).toBe(1);
  });
});
