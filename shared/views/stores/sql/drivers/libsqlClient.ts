import { type Client, createClient, type InArgs, type Transaction } from "@libsql/client";
import type { SqlConnection, SqlDatabase, SqlRow } from "../connection.ts";

const over = (c: Client | Transaction): SqlConnection => ({
  pagesAsOneRow: true,
  async snapshot(fn) {
    if (!("transaction" in c)) return fn(this);
    const tx = await c.transaction("read");
    try {
      return await fn(over(tx));
    } finally {
      tx.close();
    }
  },
  all: async <R extends SqlRow>(sql: string, args: readonly unknown[] = []) =>
    (await c.execute({ sql, args: args as InArgs })).rows as unknown as R[],
  first: async <R extends SqlRow>(sql: string, args: readonly unknown[] = []) =>
    (await c.execute({ sql, args: args as InArgs })).rows[0] as unknown as R | undefined,
  run: async (sql, args = []) => {
    await c.execute({ sql, args: args as InArgs });
  },
});

/**
 * `@libsql/client`: the binding for remote databases (Turso, sqld over
 * `libsql://`, `http(s)://`, `ws(s)://`), and for a file when asked for. Its
 * interactive transactions hold a connection of their own.
 *
 * @example
 * const db = libsqlClientDatabase(createClient({ url: "libsql://views-eu.turso.io", authToken }));
 * // `owned: false`: close() leaves the client to its owner
 */
export function libsqlClientDatabase(
  client: Client,
  options: {
    memory?: boolean;
    owned?: boolean;
  } = {},
): SqlDatabase {
  return {
    kind: client.protocol !== "file" ? "remote" : options.memory ? "memory" : "file",
    binding: "@libsql/client",
    reader: over(client),
    async transaction(mode, fn) {
      const tx = await client.transaction(mode);
      try {
        const result = await fn(over(tx));
        await tx.commit();
        return result;
      } catch (error) {
        if (!tx.closed) await tx.rollback().catch(() => undefined);
        throw error;
      } finally {
        tx.close();
      }
    },
    reconnect: async () => {
      await client.reconnect();
    },
    close() {
      if (options.owned !== false) client.close();
    },
  };
}

/**
 * A remote database's token rides in its URL (`?authToken=`), as `VIEW_DB_URL` carries it.
 *
 * @example
 * const db = await openLibsqlClient("libsql://views-eu.turso.io?authToken=…");
 */
export async function openLibsqlClient(target: string): Promise<SqlDatabase> {
  const memory = target === ":memory:" || target === "file::memory:";
  const client = createClient({ url: memory ? ":memory:" : target });
  try {
    if (client.protocol === "file" && !memory) await client.execute("PRAGMA journal_mode = WAL");
  } catch (error) {
    client.close();
    throw error;
  }
  return libsqlClientDatabase(client, { memory });
}
