import type { EventSource } from "../../../events/eventSource.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../generations/generationalStore.ts";
import { readModelVersions } from "../../models/readModelVersions.ts";
import { type D1Binding, openD1Database } from "./drivers/d1.ts";
import { sqlViewNamespaces } from "./sqlNamespaces.ts";
import { viewSchemaVersion } from "./tables.ts";

/**
 * The SQL view store on a D1 binding, across generations: the Worker's
 * `STORE=d1`. Tables are created on first use, so a new database needs no
 * migration. A new generation is built batch by batch (a bounded step per
 * request or cron tick), not folded in memory: a Worker has 128 MB.
 *
 * @example
 * const store = await openD1Generations(env.VIEWS_DB, httpEventSource({ url, readerToken }));
 */
export async function openD1Generations(
  d1: D1Binding,
  log: EventSource,
): Promise<GenerationalStore> {
  return openGenerationalStore({
    namespaces: sqlViewNamespaces(await openD1Database(d1)),
    log,
    versions: readModelVersions,
    layout: viewSchemaVersion,
  });
}
