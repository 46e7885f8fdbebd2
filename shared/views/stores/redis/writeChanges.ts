import { recordHash } from "../../../digest/recordHash.ts";
import type { RecordChange, ViewRecord } from "../../../projection/records.ts";

// Ops travel as flat strings: `u kind key json hash` or `d kind key`. The store
// only serializes what the projection decided; which keys each kind
// maintains is the apply script's business (applyLua.ts).

/** A record the layout cannot hold exactly; thrown before anything is written. */
export class UnstorableRecordError extends Error {
  override readonly name = "UnstorableRecordError";
}

const nul = "\u0000";

// Listing members are `sortKey NUL id` and price groups `categoryId NUL
// currency`: NUL is the separator, so it must not occur inside them. Prices
// are zset scores, which are doubles: past 2^53 they would round.
function checkListing(record: ViewRecord): void {
  if (record.kind !== "listing") return;
  const { id, categoryId, keys, currency, amount } = record.value;
  const texts = [id, categoryId, currency, ...Object.values(keys)];
  if (texts.some((t) => t.includes(nul))) {
    throw new UnstorableRecordError(`listing ${JSON.stringify(id)} has a NUL in an id or sort key`);
  }
  if (!Number.isSafeInteger(amount)) {
    throw new UnstorableRecordError(
      `listing ${JSON.stringify(id)} has a price of ${amount}, not an exact integer`,
    );
  }
}

// Facet members are `sortKey NUL id` as listing members are.
function checkAttribute(record: ViewRecord): void {
  if (record.kind !== "attribute") return;
  const { id, sortKey } = record.value;
  if (id.includes(nul) || sortKey.includes(nul)) {
    throw new UnstorableRecordError(
      `attribute ${JSON.stringify(id)} has a NUL in an id or sort key`,
    );
  }
}

/**
 * Throws `UnstorableRecordError` for a record the key layout cannot hold
 * exactly; every write path checks a record before it sends it.
 *
 * @example
 * checkStorable({ kind: "page", key: "lamp", value: page }); // passes
 */
export function checkStorable(record: ViewRecord): void {
  checkListing(record);
  checkAttribute(record);
}

/**
 * The apply script's ops for a batch of record changes, in the projection's order.
 *
 * @example
 * writeOps([{ op: "delete", kind: "page", key: "lamp" }]); // → ["d", "page", "lamp"]
 */
export function writeOps(changes: readonly RecordChange[]): string[] {
  const ops: string[] = [];
  for (const c of changes) {
    if (c.op === "delete") {
      ops.push("d", c.kind, c.key);
    } else {
      checkStorable(c.record);
      const { kind, key, value } = c.record;
      const json = JSON.stringify(value);
      ops.push("u", kind, key, json, recordHash(kind, key, json));
    }
  }
  return ops;
}

/**
 * Bytes a string takes inside a JSON request body (quotes, escapes, UTF-8 and
 * the comma after it), counted without building the text: the store sizes
 * requests against the REST API's body limit.
 *
 * @example
 * jsonBytes('a"é'); // → 8: two quotes, a, \", é in two bytes, a comma
 */
export function jsonBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else bytes += c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return bytes + 1;
}

/**
 * Splits args into runs of at most `maxBytes` of JSON and `maxCount` args
 * each (a single larger arg gets a run of its own). The count bound keeps a
 * run within what a JavaScript call can take as spread arguments.
 *
 * @example
 * chunkArgs(["aa", "bb", "cc"], 12); // → [["aa", "bb"], ["cc"]]
 */
export function chunkArgs(
  args: readonly string[],
  maxBytes: number,
  maxCount = 10_000,
): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const arg of args) {
    const bytes = jsonBytes(arg);
    if (chunk.length > 0 && (size + bytes > maxBytes || chunk.length >= maxCount)) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(arg);
    size += bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
