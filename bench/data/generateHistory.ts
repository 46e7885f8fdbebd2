import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitCommands } from "../../write-api/commands/commitCommands.ts";
import { openPrimary } from "../../write-api/db/openPrimary.ts";
import { openInlineViews } from "../../write-api/views/inlineViews.ts";
import { inlineViewsUrl } from "../../write-api/views/inlineViewsUrl.ts";
import { productCommand } from "./catalogCommands.ts";
import { catalogCommitDeps, generateCatalog } from "./generateCatalog.ts";
import { followUpStream, initialHistoryState } from "./historyCommands.ts";

export interface GeneratedHistory {
  path: string;
  products: number;
  /** the log's length: the catalog's events and the follow-ups' */
  events: number;
  catalogEvents: number;
  followUpCommands: number;
  /** generation time when it was made (a cached file keeps its figure) */
  seconds: number;
  commandsPerSecond: number;
  /** the primary's inline views' digest at the head: what every rebuild must reproduce */
  inlineDigest: string;
  cached: boolean;
}

/** Bump when the follow-up commands change, so a stale cached file is not reused. */
const generatorVersion = 1;
const cacheName = (products: number, events: number, seed: number) =>
  `history-v${generatorVersion}-p${products}-e${events}-s${seed}`;

/**
 * A primary whose log is a catalog's life: `products` created, then
 * follow-up commands (stock, prices, renames, archives, category renames)
 * until the log holds `events` events, all through `commitCommands` with the
 * inline views, 1,000 commands a transaction. Generating a million events
 * takes minutes, so the file is kept in `cacheDir` under a name made of its
 * size and seed, and reused as long as it is there (delete it to regenerate).
 *
 * @example
 * const h = await generateHistory(".data/bench", 100_000, 1_000_000, 42); // → { events: 1000000, inlineDigest: "…", cached: true, … }
 */
export async function generateHistory(
  cacheDir: string,
  products: number,
  events: number,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<GeneratedHistory> {
  const name = cacheName(products, events, seed);
  const path = join(cacheDir, `${name}.db`);
  const metaPath = join(cacheDir, `${name}.json`);
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as GeneratedHistory;
    return { ...meta, path, cached: true };
  }
  mkdirSync(cacheDir, { recursive: true });
  const started = performance.now();
  const catalog = await generateCatalog(path, products, seed);
  log(`history: catalog of ${catalog.events} events in ${catalog.seconds.toFixed(1)} s`);
  if (catalog.events > events) throw new Error(`the catalog alone has ${catalog.events} events`);

  const primary = await openPrimary({ url: `file:${path}`, synchronous: "FULL" });
  const views = await openInlineViews(primary.events, { url: inlineViewsUrl(`file:${path}`) });
  let inlineDigest: string;
  let version = catalog.events;
  try {
    const deps = catalogCommitDeps(primary, views);
    const next = followUpStream(
      initialHistoryState(products, (i) => productCommand(seed, i)),
      seed,
      products,
    );
    // every follow-up command appends exactly one event, so the last batch lands on `events`
    while (version < events) {
      const response = await commitCommands(deps, {
        commands: next(Math.min(1_000, events - version)),
      });
      version = response.version;
      if (version % 100_000 < 1_000) {
        const s = (performance.now() - started) / 1_000;
        log(`history: ${version.toLocaleString("en-US")} events, ${s.toFixed(0)} s`);
      }
    }
    inlineDigest = (await views.store.digest()).digest;
  } finally {
    await views.stop();
    primary.close();
  }
  const seconds = (performance.now() - started) / 1_000;
  const followUpCommands = version - catalog.events;
  // written last: a file without it is an interrupted run, generated again from scratch
  const meta: GeneratedHistory = {
    path,
    products,
    events: version,
    catalogEvents: catalog.events,
    followUpCommands,
    seconds,
    commandsPerSecond: (products + 200 + followUpCommands) / seconds,
    inlineDigest,
    cached: false,
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
