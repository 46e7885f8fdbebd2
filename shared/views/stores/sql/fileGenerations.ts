import type { EventSource } from "../../../events/eventSource.ts";
import {
  type GenerationalStore,
  openGenerationalStore,
} from "../../generations/generationalStore.ts";
import { readModelVersions } from "../../models/readModelVersions.ts";
import { openViewDb } from "./openSqlViewStore.ts";
import { sqlViewNamespaces } from "./sqlNamespaces.ts";
import { viewSchemaVersion } from "./tables.ts";

export interface FileGenerationsOptions {
  /** events per pull from the log; default 1,000 */
  pageSize?: number;
  /** products per load transaction when a new generation is folded in memory and loaded once; absent: built batch by batch */
  bulkChunk?: number;
}

/**
 * The SQL view store in a database of its own (`openViewDb`: a file on the
 * runtime's fastest binding, or `:memory:`), across generations: a Node, Bun
 * or Deno reader's `STORE=sqlite`, and the primary's inline views. Closing it
 * closes the database.
 *
 * @example
 * const store = await openFileGenerations(".data/reader-eu.db", log, { bulkChunk: 5_000 });
 */
export async function openFileGenerations(
  target: string,
  log: EventSource,
  options: FileGenerationsOptions = {},
): Promise<GenerationalStore> {
  const db = await openViewDb(target);
  try {
    const store = await openGenerationalStore({
      namespaces: sqlViewNamespaces(db),
      log,
      versions: readModelVersions,
      layout: viewSchemaVersion,
      pageSize: options.pageSize,
      ...(options.bulkChunk ? { bulk: { chunkSize: options.bulkChunk } } : {}),
    });
    return { ...store, close: () => store.close().finally(() => db.close()) };
  } catch (error) {
    db.close();
    throw error;
  }
}
