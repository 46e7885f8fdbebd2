import type { Redis } from "@upstash/redis";
import { ViewDigest } from "../../../digest/index.ts";
import { AppError } from "../../../errors/index.ts";
import { recordKinds, type ViewRecord } from "../../../projection/records.ts";
import type { DigestAt } from "../../viewStore.ts";
import type { RedisKeys } from "./keys.ts";
import { digestPageLua } from "./readLua.ts";
import { markedReply, RedisReplyError, watermarkFrom } from "./replies.ts";

/** Records per round trip: about a megabyte of JSON at the catalog's record sizes. */
const pageRows = 1_000;
/** Walks restarted because an apply landed mid-walk, before giving up. */
const maxWalks = 5;

type Row = [kind: number, key: string, value: unknown];

/**
 * The digest (`shared/digest`) of the Redis views from every record, what
 * `?fresh=1` asks for. Records come from the per-kind key indexes (lex zsets,
 * so no SCAN), `pageRows` per read-only script call, kinds running on into
 * each other: a small store is one round trip. Pages cannot share one
 * snapshot as a SQL read transaction does, so every page reports the
 * watermark, and a walk that saw it move (an apply landed) starts over.
 *
 * @example
 * await redisDigest(redis, redisKeys("views:"))(); // → "3f1c…" (64 hex digits)
 */
export function redisDigest(redis: Redis, keys: RedisKeys): () => Promise<DigestAt> {
  const script = redis.createScript<unknown, true>(digestPageLua, { readonly: true });

  async function walk(): Promise<DigestAt | null> {
    const digest = new ViewDigest();
    let seen: string | null = null;
    let kind = 1;
    let after = "";
    for (;;) {
      const args = [keys.prefix, String(kind), after, String(pageRows)];
      const [watermark, rows] = markedReply<[string, Row[]]>(await script.exec([], args));
      if (seen !== null && watermark !== seen) return null;
      seen = watermark;
      for (const [k, key, value] of rows) {
        const name = recordKinds[k - 1];
        if (name === undefined || value === null) {
          throw new RedisReplyError(`the key index lists a missing record: kind ${k}, ${key}`);
        }
        digest.add({ kind: name, key, value } as ViewRecord);
        kind = k;
        after = key;
      }
      if (rows.length < pageRows) {
        return { watermark: watermarkFrom(seen), digest: await digest.finish() };
      }
    }
  }

  return async () => {
    for (let i = 0; i < maxWalks; i++) {
      const digest = await walk();
      if (digest !== null) return digest;
    }
    throw new AppError("unavailable", "the views kept changing during the digest; retry later");
  };
}
