import type { ViewRecord } from "../projection/index.ts";
import { HashSum, recordHash } from "./recordHash.ts";

/** Names this definition: a changed definition changes every digest. */
const domain = "edge-cqrs/views/v2\n";
const encoder = new TextEncoder();

/**
 * The digest of views whose records' hashes XOR to `sum` (see `recordHash`):
 * the hex SHA-256 of "edge-cqrs/views/v2\n" followed by the sum's 32 hex
 * digits. Stores keep `sum` with their watermark, updated by every apply, so
 * the digest of any size of views costs one hash; walking every record
 * (`ViewDigest`) gives the same value, and tells a store changed behind its
 * own back from one that is not. The watermark is not part of it.
 *
 * @example
 * await digestOfSum(zeroHash); // → the digest of empty views
 */
export async function digestOfSum(sum: string): Promise<string> {
  const bytes = encoder.encode(`${domain}${sum}`);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A record's hash, from its value serialized as the projection serializes it. */
export const hashOf = (record: ViewRecord): string =>
  recordHash(record.kind, record.key, JSON.stringify(record.value));

/**
 * The digest of records fed in any order, one at a time, so a store can
 * stream its tables through it.
 *
 * @example
 * const d = new ViewDigest();
 * for await (const r of allRecords()) d.add(r);
 * await d.finish(); // → "9f86d0…"
 */
export class ViewDigest {
  readonly #sum = new HashSum();

  add(record: ViewRecord): void {
    this.#sum.add(hashOf(record));
  }

  /** the records' hash sum so far */
  get sum(): string {
    return this.#sum.toString();
  }

  finish(): Promise<string> {
    return digestOfSum(this.#sum.toString());
  }
}

/**
 * The digest of records in any order.
 *
 * @example
 * await digestRecords(store.allRecords()); // → "9f86d0…"
 */
export function digestRecords(records: Iterable<ViewRecord>): Promise<string> {
  const digest = new ViewDigest();
  for (const r of records) digest.add(r);
  return digest.finish();
}
