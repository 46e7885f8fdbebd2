import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { commitCommands } from "../commands/commitCommands.ts";
import { timeOrderedIds } from "../commands/ids.ts";
import { openPrimary, type Primary } from "../db/openPrimary.ts";
import { categoryCreate } from "../testing/catalogFixtures.ts";
import { dropViewsInPrimary } from "./legacyViews.ts";

let dir = "";
let primary: Primary | undefined;
afterEach(() => {
  primary?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tableNames = async (p: Primary) =>
  (
    await p.reads.reader.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    )
  ).map((r) => String(r.name));

describe("the views a primary file held before they moved out", () => {
  it("are dropped, full-text tables and registry with them, and nothing else is", async () => {
    dir = mkdtempSync(join(tmpdir(), "edge-cqrs-legacy-"));
    const p = await openPrimary({ url: `file:${join(dir, "primary.db")}` });
    primary = p;
    await commitCommands(
      { write: p.write, ids: timeOrderedIds, idempotencyTtlMs: 60_000 },
      { commands: parseCommands(categoryCreate("lamps")) },
    );
    const before = await tableNames(p);
    // the layout an earlier release kept in the primary's own file
    const namespaces = sqlViewNamespaces({ ...p.reads, close() {} }, { write: p.write });
    await namespaces.open("g0legacy");
    await namespaces.switchTo(null, { namespace: "g0legacy", epoch: 0 });
    expect((await tableNames(p)).filter((t) => t.startsWith("view_")).length).toBeGreaterThan(5);

    expect(await dropViewsInPrimary(p)).toBeGreaterThan(5);
    expect(await tableNames(p)).toEqual(before);
    expect(await p.events.head()).toBe(1);
    expect(await dropViewsInPrimary(p)).toBe(0);
  });
});
