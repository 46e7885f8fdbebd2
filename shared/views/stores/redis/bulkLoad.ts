import type { Redis } from "@upstash/redis";
import { HashSum, recordHash } from "../../../digest/index.ts";
import type { ViewRecord } from "../../../projection/records.ts";
import { bulkBeginLua, bulkChunkLua, bulkClearLua, bulkFinishLua } from "./bulkLua.ts";
import type { RedisKeys } from "./keys.ts";
import { RedisReplyError } from "./replies.ts";
import { checkStorable, jsonBytes } from "./writeChanges.ts";

export interface RedisBulkLoadOptions {
  /** the largest request body; records are sent in requests under it */
  maxRequestBytes: number;
  /** requests sent before the oldest is awaited; default 2 */
  inFlight?: number;
}

/** Keys deleted per script call while emptying a cut-short load. */
const clearRows = 4_000;

/** Another load of the same namespace started over, so this one's writes no longer count. */
export class BulkLoadSuperseded extends Error {
  override readonly name = "BulkLoadSuperseded";
}

/**
 * A record as the chunk script takes it: `kind NUL hash json NUL key`, and
 * its hash. JSON text never holds a raw NUL (JSON.stringify escapes it), so
 * the second NUL ends the JSON whatever the key holds.
 */
function packed(record: ViewRecord): { arg: string; hash: string } {
  checkStorable(record);
  const json = JSON.stringify(record.value);
  const hash = recordHash(record.kind, record.key, json);
  return { arg: `${record.kind}\u0000${hash}${json}\u0000${record.key}`, hash };
}

/**
 * Requests of packed records, each at most `maxBytes` inside a JSON body.
 * Sized by a bound rather than by counting, which saves a pass over every
 * record's text: a unit of JSON text (well-formed, so no raw control
 * character or lone surrogate) takes at most 3 bytes in the body (a BMP
 * character in UTF-8, or `\"`), a unit of a key at most 6 (`\u0001`), and
 * the two NULs 6 each.
 *
 * @example
 * const sum = new HashSum();
 * for (const args of bulkRequests(fold.records(), 4 * 2 ** 20, sum)) await send(args);
 */
export function* bulkRequests(
  chunks: Iterable<readonly ViewRecord[]>,
  maxBytes: number,
  sum: HashSum,
): Generator<string[]> {
  let args: string[] = [];
  let bytes = 0;
  for (const records of chunks) {
    for (const record of records) {
      const { arg, hash } = packed(record);
      sum.add(hash);
      const size = 3 * arg.length + 3 * record.key.length + 16;
      if (args.length > 0 && bytes + size > maxBytes) {
        yield args;
        args = [];
        bytes = 0;
      }
      args.push(arg);
      bytes += size;
    }
  }
  if (args.length > 0) yield args;
}

/**
 * Loads a bulk fold's records (`createBulkFold().records()`) into a Redis
 * namespace at watermark 0, or one a crash left loading: one script marks it
 * loading (the `bulkLoadingWatermark` sentinel, which the apply refuses) and
 * others empty what a cut-short load wrote; the records then go as large
 * script calls (bulkLua.ts), `inFlight` on the wire while the next ones are
 * derived; the last call sets the kept digest and the watermark.
 *
 * One EVAL per request rather than a pipeline of the writes, because the REST
 * server's cost goes by arguments. Measured through the local server, 8,500
 * records: as one EVAL of one packed arg each, 35 ms of the REST server and
 * 108 ms of Redis (70 ms of the REST server with five args per record); the
 * same writes already grouped into 636 variadic commands (111,000 args) as
 * one pipeline, 160 ms and 53 ms, before deriving them, which the script
 * does with the apply's own Lua.
 *
 * @example
 * await bulkLoadRedis(redis, redisKeys("views:"), fold.records(), fold.watermark, { maxRequestBytes: 4 * 2 ** 20 });
 */
export async function bulkLoadRedis(
  redis: Redis,
  keys: RedisKeys,
  chunks: Iterable<readonly ViewRecord[]>,
  watermark: number,
  options: RedisBulkLoadOptions,
): Promise<void> {
  const token = crypto.randomUUID();
  const run = async (script: string, args: string[]): Promise<string> => {
    // A pipeline of its own: a client's auto-pipelining would merge calls sent
    // together into one request, past the body limit the parts are sized for.
    const request = redis.pipeline();
    request.eval(script, [keys.bulkLoad], [keys.prefix, token, ...args]);
    const [reply] = await request.exec<[unknown]>();
    if (reply === "superseded") {
      throw new BulkLoadSuperseded(`another bulk load of ${keys.prefix} started over`);
    }
    if (typeof reply !== "string") {
      throw new RedisReplyError(`a bulk load script answered ${JSON.stringify(reply)}`);
    }
    return reply;
  };

  const begun = await run(bulkBeginLua, []);
  if (begun.startsWith("at:")) {
    throw new Error(
      `a bulk load needs views nobody has applied to; ${keys.prefix} is at seq ${begun.slice(3)}`,
    );
  }
  while ((await run(bulkClearLua, [String(clearRows)])) === "more");

  const sum = new HashSum();
  const sent: Array<Promise<string>> = [];
  const inFlight = Math.max(1, options.inFlight ?? 2);
  try {
    // the script text and the head of the command travel in every request too
    const budget = options.maxRequestBytes - jsonBytes(bulkChunkLua) - 1_024;
    let part = 0;
    for (const args of bulkRequests(chunks, budget, sum)) {
      const write = run(bulkChunkLua, [String(part++), ...args]);
      // awaited below; until then its failure must not count as unhandled
      write.catch(() => undefined);
      sent.push(write);
      if (sent.length >= inFlight) await sent.shift();
    }
    await Promise.all(sent);
  } catch (error) {
    // Nothing may run on behind a failure: the next load's clear must see every write.
    await Promise.allSettled(sent);
    throw error;
  }
  await run(bulkFinishLua, [String(watermark), `x${sum}`]);
}
