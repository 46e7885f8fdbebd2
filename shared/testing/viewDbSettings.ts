import type { SqlConnection, SqlDatabase } from "../views/stores/sql/connection.ts";

/** How one connection to a database file commits and sorts, as SQLite reports it. */
export interface FileSettings {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
  synchronous: number;
  /** 0 the build's default, 1 FILE, 2 MEMORY */
  tempStore: number;
}

const settingsOf = async (c: SqlConnection): Promise<FileSettings> => {
  const [journal] = await c.all<{ journal_mode: string }>("PRAGMA journal_mode");
  const [sync] = await c.all<{ synchronous: number }>("PRAGMA synchronous");
  const [temp] = await c.all<{ temp_store: number }>("PRAGMA temp_store");
  return {
    journalMode: String(journal?.journal_mode),
    synchronous: Number(sync?.synchronous),
    tempStore: Number(temp?.temp_store),
  };
};

/**
 * The settings of every kind of connection a view database hands out:
 * its reader, a write transaction's and a read transaction's (which opens a
 * connection of its own on a file).
 *
 * @example
 * await viewDbSettings(await openViewDb(path)); // → { reader: …, write: …, read: … }
 */
export async function viewDbSettings(
  db: SqlDatabase,
): Promise<Record<"reader" | "write" | "read", FileSettings>> {
  return {
    reader: await settingsOf(db.reader),
    write: await db.transaction("write", settingsOf),
    read: await db.transaction("read", settingsOf),
  };
}
