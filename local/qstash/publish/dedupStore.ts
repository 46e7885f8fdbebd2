import { createHash } from "node:crypto";

/** The answer a publish got, replayed to a duplicate of it. */
export interface DedupRecord<T> {
  value: T;
  expiresAt: number;
}

export interface DedupStore<T> {
  /** The earlier answer for this key, if still inside the window. */
  get(key: string, now: number): T | undefined;
  remember(key: string, value: T, now: number): void;
}

/**
 * Remembers deduplication keys for `windowMs`. The qstash-js docs say ids are
 * kept 90 days; a maintainer once answered "10 minutes" (upstash/docs#441), so
 * the window is a parameter and defaults to the documented 90 days.
 *
 * @example
 * const dedup = createDedupStore<string>(90 * 86_400_000);
 */
export const createDedupStore = <T>(windowMs: number): DedupStore<T> => {
  const records = new Map<string, DedupRecord<T>>();
  let writes = 0;

  const sweep = (now: number) => {
    for (const [key, record] of records) if (record.expiresAt <= now) records.delete(key);
  };

  return {
    get(key, now) {
      const record = records.get(key);
      if (!record) return undefined;
      if (record.expiresAt > now) return record.value;
      records.delete(key);
      return undefined;
    },
    remember(key, value, now) {
      records.set(key, { value, expiresAt: now + windowMs });
      if (++writes % 1_000 === 0) sweep(now);
    },
  };
};

/**
 * The key QStash's content-based deduplication derives: per its docs, from the
 * destination, the body, and the headers that are delivered (Content-Type and
 * the `Upstash-Forward-*` ones).
 *
 * @example
 * contentDedupKey("orders", { "content-type": "application/json" }, body);
 */
export const contentDedupKey = (
  destination: string,
  header: Record<string, string>,
  body: Uint8Array,
): string => {
  const hash = createHash("sha256").update(destination).update("\n");
  for (const name of Object.keys(header).sort()) hash.update(`${name}:${header[name]}\n`);
  return `content:${hash.update(body).digest("hex")}`;
};
