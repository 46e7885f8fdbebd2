import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { commitCommands } from "../../write-api/commands/commitCommands.ts";
import type { IdSource } from "../../write-api/commands/decide.ts";
import { openPrimary, type Primary } from "../../write-api/db/openPrimary.ts";
import { type InlineViews, openInlineViews } from "../../write-api/views/inlineViews.ts";
import { inlineViewsUrl } from "../../write-api/views/inlineViewsUrl.ts";
import { categoryCommands, productCommand } from "./catalogCommands.ts";

export interface GeneratedCatalog {
  path: string;
  products: number;
  events: number;
  seconds: number;
  commandsPerSecond: number;
}

/** Sequential ids, so the same seed gives byte-for-byte the same catalog. */
const sequentialIds = (): IdSource => {
  let c = 0;
  let p = 0;
  return {
    category: () => `cat_${String(++c).padStart(6, "0")}`,
    product: () => `prd_${String(++p).padStart(8, "0")}`,
  };
};

/** What `commitCommands` needs to write as the write API does, with a fixed clock. */
export const catalogCommitDeps = (primary: Primary, views: InlineViews) => ({
  write: primary.write,
  ids: sequentialIds(),
  idempotencyTtlMs: 60_000,
  onCommitted: views.committed,
  now: () => Date.UTC(2026, 10, 25),
});

/**
 * Writes the catalog into a fresh primary file through the write API's own
 * path minus HTTP: `commitCommands` (decide, append events, normalized tables,
 * one BEGIN IMMEDIATE transaction per batch of 1,000 commands, WAL +
 * synchronous FULL, the inline views following), so its event log is the one
 * rebuild reads.
 */
export async function generateCatalog(
  path: string,
  products: number,
  seed: number,
): Promise<GeneratedCatalog> {
  const viewsPath = inlineViewsUrl(`file:${path}`).slice("file:".length);
  for (const file of [path, viewsPath]) {
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(file + suffix)) rmSync(file + suffix);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const primary = await openPrimary({ url: `file:${path}`, synchronous: "FULL" });
  const views = await openInlineViews(primary.events, { url: `file:${viewsPath}` });
  const deps = catalogCommitDeps(primary, views);
  const started = performance.now();
  try {
    let version = (await commitCommands(deps, { commands: categoryCommands() })).version;
    const batch = 1_000;
    for (let from = 0; from < products; from += batch) {
      const commands = [];
      for (let i = from; i < Math.min(products, from + batch); i++) {
        commands.push(productCommand(seed, i));
      }
      version = (await commitCommands(deps, { commands })).version;
    }
    await views.fresh();
    const seconds = (performance.now() - started) / 1_000;
    return {
      path,
      products,
      events: version,
      seconds,
      commandsPerSecond: (products + 200) / seconds,
    };
  } finally {
    await views.stop();
    primary.close();
  }
}
