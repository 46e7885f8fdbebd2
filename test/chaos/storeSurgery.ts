import { createClient } from "@libsql/client";
import { Redis } from "@upstash/redis";

/** One stored copy of a product record: where it lives and the JSON it held before the damage. */
interface SavedRecord {
  where: string;
  original: string;
}

/** Undoes the damage: writes every saved record back as it was. */
export interface Damage {
  records: number;
  restore(): Promise<void>;
}

/**
 * The record without its price: valid JSON, so reads and the digest still
 * work, but the projection cannot work out the product's contribution to its
 * category's price stats and throws on the next event about it. A record a
 * botched manual edit or a half-done migration left behind, not a fake.
 */
const withoutPrice = (json: string): string => {
  const { price: _price, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(rest);
};

const busy = (e: unknown) => /SQLITE_BUSY|database is locked/i.test(String(e));

async function retryBusy<T>(run: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await run();
    } catch (e) {
      if (!busy(e) || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Rewrites the record `key` of every view table named `view…<kind>` (whatever
 * namespace holds it) in a reader's libSQL file while the reader runs, and
 * returns how to put each back.
 */
async function rewriteSqlRecords(
  fileUrl: string,
  kind: { table: string; key: string },
  key: string,
  rewrite: (json: string) => string,
): Promise<Damage> {
  const db = createClient({ url: fileUrl });
  try {
    const tables = await db.execute({
      sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?",
      args: [`view%${kind.table}`],
    });
    const saved: SavedRecord[] = [];
    for (const row of tables.rows) {
      const table = String(row.name);
      const found = await db.execute({
        sql: `SELECT data FROM ${table} WHERE ${kind.key} = ?`,
        args: [key],
      });
      const data = found.rows[0]?.data;
      if (typeof data !== "string") continue;
      saved.push({ where: table, original: data });
      await retryBusy(() =>
        db.execute({
          sql: `UPDATE ${table} SET data = ? WHERE ${kind.key} = ?`,
          args: [rewrite(data), key],
        }),
      );
    }
    if (saved.length === 0) {
      throw new Error(`no view table of ${fileUrl} holds the ${kind.table} ${key}`);
    }
    return {
      records: saved.length,
      async restore() {
        const again = createClient({ url: fileUrl });
        try {
          for (const s of saved) {
            await retryBusy(() =>
              again.execute({
                sql: `UPDATE ${s.where} SET data = ? WHERE ${kind.key} = ?`,
                args: [s.original, key],
              }),
            );
          }
        } finally {
          again.close();
        }
      },
    };
  } finally {
    db.close();
  }
}

/** The same in the Redis views (every key prefix that has `<suffix>`), through the Upstash REST endpoint the Worker uses. */
async function rewriteRedisRecords(
  rest: { url: string; token: string },
  suffix: string,
  rewrite: (json: string) => string,
): Promise<Damage> {
  const redis = new Redis({ url: rest.url, token: rest.token, automaticDeserialization: false });
  const keys = (await redis.keys(`*${suffix}`)).filter((k) => k.endsWith(suffix));
  const saved: SavedRecord[] = [];
  for (const key of keys) {
    const data = await redis.get<string>(key);
    if (typeof data !== "string") continue;
    saved.push({ where: key, original: data });
    await redis.set(key, rewrite(data));
  }
  if (saved.length === 0) throw new Error(`no Redis key holds ${suffix}`);
  return {
    records: saved.length,
    async restore() {
      for (const s of saved) await redis.set(s.where, s.original);
    },
  };
}

/**
 * Damages product `id` in a reader's embedded libSQL file while the reader
 * runs, in every view table that holds products (whatever namespace the
 * store uses), and returns how to put it back.
 *
 * @example
 * const damage = await damageSqlProduct("file:/tmp/x/reader-us-bun.db", "prd_1");
 * await damage.restore();
 */
export const damageSqlProduct = (fileUrl: string, id: string): Promise<Damage> =>
  rewriteSqlRecords(fileUrl, { table: "product", key: "id" }, id, withoutPrice);

/**
 * Damages product `id` in the Redis views (every key prefix that has it),
 * through the same Upstash REST endpoint the Worker reader uses.
 *
 * @example
 * const damage = await damageRedisProduct({ url, token }, "prd_1");
 */
export const damageRedisProduct = (
  rest: { url: string; token: string },
  id: string,
): Promise<Damage> => rewriteRedisRecords(rest, `product:${id}`, withoutPrice);

/** The page with "TAMPERED " before the product's name: what a stray UPDATE might leave. */
const renamed = (json: string): string => json.replace('"name":"', '"name":"TAMPERED ');

/**
 * Changes the stored product page of `slug` in a reader's libSQL file behind
 * the store's back (every namespace holding it): still valid JSON a shopper
 * would be served, so only a digest walked from the records shows it.
 *
 * @example
 * await tamperSqlPage("file:/tmp/x/reader-us-bun.db", "desk-lamp");
 */
export const tamperSqlPage = (fileUrl: string, slug: string): Promise<Damage> =>
  rewriteSqlRecords(fileUrl, { table: "page", key: "slug" }, slug, renamed);

/** The same in the Redis views, through the Upstash REST endpoint the Worker uses. */
export const tamperRedisPage = (
  rest: { url: string; token: string },
  slug: string,
): Promise<Damage> => rewriteRedisRecords(rest, `page:${slug}`, renamed);
