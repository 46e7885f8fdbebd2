import { type RecordKind, recordKinds, type ViewRecord } from "../projection/records.ts";
import { compareCodePoints } from "../projection/text.ts";
import { canonicalJson } from "./canonicalJson.ts";

/**
 * Records per hashed chunk. WebCrypto has no streaming digest, and 100,000
 * products make ~170 MB of records, so chunks are hashed on their own and the
 * digest hashes the chunk hashes. Part of the definition: changing it changes
 * every digest.
 */
export const digestChunkSize = 1_024;
const domain = "edge-cqrs/views/v1\n";
const encoder = new TextEncoder();

const kindRank = new Map<RecordKind, number>(recordKinds.map((k, i) => [k, i]));

/**
 * The canonical record order: kind (in `recordKinds` order), then key by code point.
 *
 * @example
 * records.sort(compareRecords);
 */
export const compareRecords = (
  a: { kind: RecordKind; key: string },
  b: { kind: RecordKind; key: string },
) => (kindRank.get(a.kind) ?? 0) - (kindRank.get(b.kind) ?? 0) || compareCodePoints(a.key, b.key);

const sha256 = async (bytes: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The canonical digest of all view contents, built from records fed in
 * canonical order (a store streams its tables, no need to hold them all).
 *
 * Definition: each record becomes the line `canonicalJson([kind, key, value])`
 * + "\n"; lines in `compareRecords` order; every `digestChunkSize` lines are
 * hashed with SHA-256; the digest is the hex SHA-256 of "edge-cqrs/views/v1\n"
 * followed by the chunk hashes. The watermark is not part of it.
 *
 * @example
 * const d = new ViewDigest();
 * for (const r of recordsInOrder) await d.add(r);
 * await d.finish(); // → "9f86d0…"
 */
export class ViewDigest {
  #lines: string[] = [];
  #chunks: Uint8Array[] = [];
  #last: { kind: RecordKind; key: string } | null = null;

  async add(record: ViewRecord): Promise<void> {
    if (this.#last !== null && compareRecords(this.#last, record) >= 0) {
      throw new Error(
        `records out of canonical order at ${record.kind} ${JSON.stringify(record.key)}`,
      );
    }
    this.#last = { kind: record.kind, key: record.key };
    this.#lines.push(`${canonicalJson([record.kind, record.key, record.value])}\n`);
    if (this.#lines.length >= digestChunkSize) await this.#flush();
  }

  async finish(): Promise<string> {
    if (this.#lines.length > 0) await this.#flush();
    const head = encoder.encode(domain);
    const all = new Uint8Array(head.length + 32 * this.#chunks.length);
    all.set(head, 0);
    for (const [i, c] of this.#chunks.entries()) all.set(c, head.length + 32 * i);
    return hex(await sha256(all));
  }

  async #flush(): Promise<void> {
    const text = this.#lines.join("");
    this.#lines = [];
    this.#chunks.push(await sha256(encoder.encode(text)));
  }
}

/**
 * The digest of records in any order (sorts a copy first).
 *
 * @example
 * await digestRecords(store.allRecords()); // → "9f86d0…"
 */
export async function digestRecords(records: Iterable<ViewRecord>): Promise<string> {
  const digest = new ViewDigest();
  for (const r of [...records].sort(compareRecords)) await digest.add(r);
  return digest.finish();
}
