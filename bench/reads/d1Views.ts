import { join } from "node:path";
import { d1BindingName } from "../../edge-reader/config.ts";
import { viewGeneration } from "../../shared/views/generations/viewGeneration.ts";
import { readModelVersions } from "../../shared/views/models/readModelVersions.ts";
import { openD1Database } from "../../shared/views/stores/sql/drivers/d1.ts";
import { startD1Bridge } from "../../shared/views/stores/sql/drivers/d1Bridge.ts";
import { sqlViewNamespaces } from "../../shared/views/stores/sql/sqlNamespaces.ts";
import { viewSchemaVersion } from "../../shared/views/stores/sql/tables.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";
import { primaryEventSource } from "../data/primaryEventSource.ts";

/** Where a Worker finds the D1 views this fills: its `VIEWS_DB` binding's id and folder. */
export interface D1Views {
  databaseId: string;
  persistDir: string;
}

/**
 * The bench catalog's views in a D1 database on disk, for the Worker reader on
 * `STORE=d1`: a bulk rebuild from the primary's log into this code's
 * generation, registered live (so the Worker has nothing to build), run on
 * workerd's own D1 (as `wrangler d1 execute` fills a database before a
 * deploy); then workerd stops and the Worker serves the same folder.
 *
 * @example
 * const views = await fillD1Views(primaryPath, dataDir);
 */
export async function fillD1Views(primaryPath: string, dataDir: string): Promise<D1Views> {
  const views: D1Views = { databaseId: "bench-views", persistDir: join(dataDir, "d1") };
  const bridge = await startD1Bridge({
    databases: { [d1BindingName]: views.databaseId },
    persistDir: views.persistDir,
  });
  const source = await primaryEventSource(primaryPath);
  try {
    const namespaces = sqlViewNamespaces(await openD1Database(bridge.binding(d1BindingName)));
    const generation = viewGeneration(readModelVersions, viewSchemaVersion);
    const store = await namespaces.open(generation.namespace);
    await rebuildViews({ source, store, bulk: true });
    await store.close();
    const outcome = await namespaces.switchTo(null, generation);
    if (outcome.status !== "switched")
      throw new Error(`the bench D1 views did not go live: ${outcome.status}`);
    return views;
  } finally {
    source.close();
    await bridge.stop();
  }
}
