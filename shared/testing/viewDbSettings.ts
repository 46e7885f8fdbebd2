import type { SqlConnection, SqlDatabase } from "../views/stores/sql/connection.ts";

/** How one connection to a view file commits, as SQLite reports it. */
export interface CommitSettings {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
  synchronous: number;
}

const settingsOf = async (c: SqlConnection): Promise<CommitSettings> => {
  const [journal] = await c.all<{ journal_mode: string }>("PRAGMA journal_mode");
  const [sync] = await c.all<{ synchronous: number }>("PRAGMA synchronous");
  return { journalMode: String(journal?.journal_mode), synchronous: Number(sync?.synchronous) };
};

/**
 * The commit settings of every kind of connection a view database hands out:
 * its reader, a write transaction's and a read transaction's (which opens a
 * connection of its own on a file).
 *
 * @example
 * await viewDbSettings(await openViewDb(path)); // → { reader: …, write: …, read: … }
 */
export async function viewDbSettings(
  db: SqlDatabase,
): Promise<Record<"reader" | "write" | "read", CommitSettings>> {
  return {
    reader: await settingsOf(db.reader),
    write: await db.transaction("write", settingsOf),
    read: await db.transaction("read", settingsOf),
  };
}
