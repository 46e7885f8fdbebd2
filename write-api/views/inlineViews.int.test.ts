import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { commitCommands } from "../commands/commitCommands.ts";
import { timeOrderedIds } from "../commands/ids.ts";
import { openPrimary, type Primary } from "../db/openPrimary.ts";
import { categoryCreate } from "../testing/catalogFixtures.ts";
import { openInlineViews } from "./inlineViews.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const commit = (primary: Primary, body: unknown) =>
  commitCommands(
    { write: primary.write, ids: timeOrderedIds, idempotencyTtlMs: 60_000 },
    { commands: parseCommands(body) },
  );

describe("the inline views' own file", () => {
  it("is built again from the log when it stands past the log's head (the primary was replaced)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-cqrs-views-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${join(dir, "primary.views.db")}`;

    const first = await openPrimary({ url: `file:${join(dir, "first.db")}` });
    cleanups.push(() => first.close());
    await commit(first, categoryCreate("lamps"));
    await commit(first, categoryCreate("rugs"));
    const before = await openInlineViews(first.events, { url });
    expect(await before.store.watermark()).toBe(2);
    await before.stop();

    const second = await openPrimary({ url: `file:${join(dir, "second.db")}` });
    cleanups.push(() => second.close());
    await commit(second, categoryCreate("vases"));
    const views = await openInlineViews(second.events, { url });
    cleanups.push(() => views.stop());
    expect(await views.store.watermark()).toBe(1);
    const fresh = await views.store.digest({ fresh: true });
    expect(await views.store.digest()).toEqual(fresh);

    // the same fold from scratch, in memory: the rebuilt file holds this log's views only
    const reference = await openInlineViews(second.events, { url: ":memory:" });
    cleanups.push(() => reference.stop());
    expect((await reference.store.digest()).digest).toBe(fresh.digest);
  });
});
