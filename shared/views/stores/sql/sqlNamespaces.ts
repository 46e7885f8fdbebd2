import { frozenReads } from "../../generations/frozenReads.ts";
import {
  type ActiveNamespace,
  retiredWatermark,
  type SwitchOutcome,
  type ViewNamespaces,
} from "../../generations/viewNamespaces.ts";
import type { ViewStore } from "../../viewStore.ts";
import { readViewWatermark } from "./applyEvents.ts";
import { ensureViewSchema } from "./schema.ts";
import { createSqlViewStore, type SqlViewStoreOptions, type ViewWriter } from "./sqlViewStore.ts";
import { type ViewDb, type ViewSql, viewSchemaVersion, viewTables } from "./tables.ts";
import { writeTransaction } from "./transactions.ts";

const registryDdl =
  "CREATE TABLE IF NOT EXISTS view_registry (id INTEGER PRIMARY KEY CHECK (id = 1), active TEXT NOT NULL, epoch INTEGER NOT NULL)";

const tableExists = async (tx: ViewSql, name: string) =>
  (await tx.all("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])).length >
  0;

/**
 * The active namespace as `tx` sees it. A database from before namespaces has
 * no registry but has the unversioned tables: that is namespace "" at epoch 0.
 *
 * @example
 * await activeNamespaceIn(tx); // → { namespace: "g0f3…", epoch: 0 }
 */
export async function activeNamespaceIn(tx: ViewSql): Promise<ActiveNamespace | null> {
  if (await tableExists(tx, "view_registry")) {
    const [row] = await tx.all<{ active: string; epoch: number }>(
      "SELECT active, epoch FROM view_registry WHERE id = 1",
    );
    if (row) return { namespace: String(row.active), epoch: Number(row.epoch) };
  }
  return (await tableExists(tx, viewTables("").meta)) ? { namespace: "", epoch: 0 } : null;
}

const metaSuffix = "_meta";

/**
 * Every table of a namespace, virtual ones first (dropping a full-text table
 * drops its shadow tables): the store's own and those read models' indexes
 * added. The unversioned namespace "" shares its prefix with every other, so
 * it is its fixed list.
 */
async function tablesOf(tx: ViewSql, namespace: string): Promise<string[]> {
  if (namespace === "") return [...viewTables("").all];
  const prefix = `view_${namespace}_`;
  const rows = await tx.all<{ name: string; virtual: number }>(
    `SELECT name, sql LIKE 'CREATE VIRTUAL%' AS virtual FROM sqlite_master
     WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY virtual DESC, name`,
    [prefix.length, prefix],
  );
  return rows.map((r) => String(r.name));
}

/**
 * Namespaces of the SQL view store in one libSQL database: each one a set of
 * `view_<namespace>_*` tables, the active one named in `view_registry`.
 * Switching is one write transaction that compares both watermarks, so it
 * serializes with every apply on the same writer.
 *
 * @example
 * const namespaces = sqlViewNamespaces(db);
 * const store = await namespaces.open("g0f3a9c2e1b7d4a6");
 */
export function sqlViewNamespaces(
  db: ViewDb,
  options: Pick<SqlViewStoreOptions, "busyRetry" | "cacheSizeKib" | "write"> = {},
): ViewNamespaces {
  const write: ViewWriter =
    options.write ?? (<T>(fn: (tx: ViewSql) => Promise<T>) => writeTransaction(db, fn, options));
  // `:memory:` has one connection, which applies use too: read through the writer there.
  const read: ViewWriter =
    db.kind === "memory" ? write : <T>(fn: (tx: ViewSql) => Promise<T>) => fn(db.reader);

  return {
    active: () => read((tx) => activeNamespaceIn(tx)),
    async open(namespace: string): Promise<ViewStore> {
      const tables = viewTables(namespace);
      const { layout } = await write((tx) => ensureViewSchema(tx, tables));
      if (layout !== viewSchemaVersion) {
        // applyEventsInTransaction moves only its watermark; reads are refused
        const store = createSqlViewStore(db, { ...options, namespace, ensureSchema: false, write });
        return {
          ...frozenReads(namespace, layout, viewSchemaVersion),
          apply: store.apply,
          watermark: store.watermark,
        };
      }
      return createSqlViewStore(db, { ...options, namespace, ensureSchema: false, write });
    },
    switchTo(from, to): Promise<SwitchOutcome> {
      return write(async (tx) => {
        const current = await activeNamespaceIn(tx);
        if ((current?.namespace ?? null) !== from) {
          return { status: "moved", active: current?.namespace ?? null };
        }
        if (from !== null) {
          const watermark = await readViewWatermark(tx, viewTables(to.namespace));
          const target = await readViewWatermark(tx, viewTables(from));
          if (watermark < target) return { status: "behind", watermark, target };
          await tx.run(`UPDATE ${viewTables(from).meta} SET watermark = ? WHERE id = 1`, [
            retiredWatermark,
          ]);
        }
        await tx.run(registryDdl);
        await tx.run(
          `INSERT INTO view_registry (id, active, epoch) VALUES (1, ?, ?)
          ON CONFLICT (id) DO UPDATE SET active = excluded.active, epoch = excluded.epoch`,
          [to.namespace, to.epoch],
        );
        return { status: "switched" };
      });
    },
    async drop(namespace: string): Promise<void> {
      await write(async (tx) => {
        const current = await activeNamespaceIn(tx);
        if (current?.namespace === namespace) {
          throw new Error(`view namespace "${namespace}" is active and cannot be dropped`);
        }
        for (const table of await tablesOf(tx, namespace)) {
          await tx.run(`DROP TABLE IF EXISTS ${table}`);
        }
      });
    },
    async list(): Promise<string[]> {
      const rows = await read((tx) =>
        tx.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'view%meta'",
        ),
      );
      return rows
        .map((r) => String(r.name))
        .filter((name) => name.endsWith(metaSuffix))
        .map((name) => name.slice("view_".length, -metaSuffix.length).replace(/_$/, ""))
        .filter((namespace) => /^[a-z0-9]*$/.test(namespace))
        .sort();
    },
  };
}
