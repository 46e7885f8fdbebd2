// @upstash/redis 1.39.0 runs every reply through JSON.parse unless the client
// was built with `automaticDeserialization: false` (pkg/util.ts parseRecursive):
// a stored JSON object comes back as an object, "42" as the number 42, "true"
// as a boolean, '"x"' as x, and only numbers that would not print back the
// same ("9007199254740993", "1.50") stay strings. The store is handed a client
// it did not build, so it reads replies in a way that is exact either way:
// - record values are always JSON objects, and parsing them here or in the
//   client gives the same value (JSON.parse both times);
// - anything else a script returns (ids, sort keys, scores, the watermark) is
//   wrapped in one string starting with `replyMark`, which no JSON parser
//   accepts, so the client always hands it over untouched.

/** Starts every structured script reply; never the first character of valid JSON. */
export const replyMark = "~";

/** Lua helpers that build `replyMark` replies; record JSON is spliced in as is, never re-encoded. */
export const luaReplies = `
local function jstr(s) return cjson.encode(s) end
local function jlist(parts) return "[" .. table.concat(parts, ",") .. "]" end
local function jraw(v) if v then return v end return "null" end
local function reply(parts) return ${JSON.stringify(replyMark)} .. jlist(parts) end
`;

/** A reply the store cannot read: corrupt data or a foreign key under its prefix. */
export class RedisReplyError extends Error {
  override readonly name = "RedisReplyError";
}

/**
 * A stored record as the client hands it back: its JSON text, or the object
 * the client already parsed from that text. `null` when absent.
 *
 * @example
 * recordFrom<ProductPage>('{"slug":"lamp"}'); // → { slug: "lamp" }
 * recordFrom<ProductPage>({ slug: "lamp" });   // → { slug: "lamp" }
 */
export function recordFrom<T>(reply: unknown): T | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "string") return JSON.parse(reply) as T;
  // Records are JSON objects, and the navigation record an array of them.
  if (typeof reply === "object") return reply as T;
  throw new RedisReplyError(`expected a JSON record, got ${typeof reply}`);
}

/**
 * The records of a multi-key reply (MGET, HVALS, a script's list), absent ones dropped.
 *
 * @example
 * recordsFrom<Product>(['{"id":"a"}', null]); // → [{ id: "a" }]
 */
export function recordsFrom<T>(reply: unknown): T[] {
  if (!Array.isArray(reply)) throw new RedisReplyError("expected a list of JSON records");
  return reply.flatMap((r) => {
    const record = recordFrom<T>(r);
    return record === null ? [] : [record];
  });
}

/**
 * A `replyMark` reply from one of the store's scripts, parsed.
 *
 * @example
 * markedReply<[string, null]>('~["7",null]'); // → ["7", null]
 */
export function markedReply<T>(reply: unknown): T {
  if (typeof reply !== "string" || !reply.startsWith(replyMark)) {
    throw new RedisReplyError("a view script answered in an unexpected shape");
  }
  return JSON.parse(reply.slice(replyMark.length)) as T;
}

/**
 * The watermark from a GET (a number or digits, depending on the client) or a
 * script's string. Refuses anything JavaScript cannot hold exactly rather
 * than round it: a watermark past 2^53 would silently skip or repeat events.
 *
 * @example
 * watermarkFrom("42");  // → 42
 * watermarkFrom(null);  // → 0
 * watermarkFrom("9007199254740993"); // throws RedisReplyError
 */
export function watermarkFrom(reply: unknown): number {
  if (reply === null || reply === undefined) return 0;
  const digits = typeof reply === "number" ? String(reply) : reply;
  // -1 marks a namespace retired by a switch (shared/views/generations), -2
  // one a bulk load is writing (`bulkLoadingWatermark`).
  if (typeof digits === "string" && /^(0|-1|-2|[1-9][0-9]*)$/.test(digits)) {
    const n = Number(digits);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new RedisReplyError(
    `the stored watermark ${JSON.stringify(String(reply))} is not -1, -2 or an integer from 0 to 2^53 - 1`,
  );
}

/** A paged script reply, split: the page's items still as the JSON text they were stored as. */
export interface PagedReply {
  watermark: number;
  /** "missing": the listed thing does not exist; else the last row's cursor data as JSON, or "null" */
  last: string;
  /** the items' JSON, comma-separated */
  items: string;
}

/**
 * A `pageReply` from a read script (readLua.ts): `~watermark NL last NL
 * items`. Only the small head is looked at; the items are passed on as they
 * came, never parsed.
 *
 * @example
 * pagedReply('~7\n"k2"\n{"id":"a"},{"id":"b"}'); // → { watermark: 7, last: '"k2"', items: '{"id":"a"},{"id":"b"}' }
 */
export function pagedReply(reply: unknown): PagedReply {
  if (typeof reply !== "string" || !reply.startsWith(replyMark)) {
    throw new RedisReplyError("a view script answered in an unexpected shape");
  }
  const first = reply.indexOf("\n");
  const second = reply.indexOf("\n", first + 1);
  if (first < 0 || second < 0) throw new RedisReplyError("a paged script reply lacks its head");
  return {
    watermark: watermarkFrom(reply.slice(replyMark.length, first)),
    last: reply.slice(first + 1, second),
    items: reply.slice(second + 1),
  };
}
