import type { Category, Product } from "../domain/catalog.ts";
import type { StoredEvent } from "../events/types.ts";
import { bulkRecords } from "./bulkRecords.ts";
import { foldEntities } from "./fold.ts";
import { planBatch } from "./protocol.ts";
import type { ViewRecord } from "./records.ts";

/**
 * Events handed to a bulk fold left a hole after its watermark. Folding past
 * it would build views that no replica can ever match, so nothing is taken.
 */
export class BulkFoldGapError extends Error {
  override readonly name = "BulkFoldGapError";
  constructor(
    readonly missing: { from: number; to: number },
    readonly watermark: number,
  ) {
    super(
      `the bulk fold is missing seqs ${missing.from}-${missing.to} after its watermark ${watermark}`,
    );
  }
}

/** The log folded into final entity state, page by page; the views derived from it once. */
export interface BulkFold {
  /**
   * Folds the next page of the log. Seqs at or below the watermark are
   * ignored (a page read twice changes nothing); a page that does not
   * continue the watermark throws `BulkFoldGapError` and takes nothing.
   */
  add(events: readonly StoredEvent[]): void;
  /** the last seq folded */
  readonly watermark: number;
  /**
   * Every view record at the watermark, each exactly once: arrays holding the
   * records of up to `chunkSize` products (products in id order; in an array,
   * by kind, then in their products' order), then one array of the category,
   * counters, stats and navigation records.
   * Records share objects with the fold's state: treat them as read-only.
   * Adding events while iterating throws.
   */
  records(chunkSize?: number): Iterable<ViewRecord[]>;
}

/**
 * Products per records chunk by default: about 6 records each, so a store
 * writing one transaction per chunk commits some 12,000 rows at a time. At
 * 5,000 a 1M-event rebuild went no faster and peaked 200 MiB higher: what a
 * chunk allocates outlives the young generation while its rows are written.
 */
export const defaultBulkChunkSize = 2_000;

/**
 * Whether a page is exactly the next seqs, in order: what the log serves, so
 * the common case skips `planBatch`'s sorting and filtering copies.
 */
function continues(watermark: number, events: readonly StoredEvent[]): boolean {
  for (let i = 0; i < events.length; i++) {
    if (events[i]?.seq !== watermark + 1 + i) return false;
  }
  return events.length > 0;
}

/**
 * Builds views from seq 0 for a namespace nobody reads yet. The incremental
 * projection re-derives a product and rewrites counters and navigation in
 * every batch that touches them; here the log is folded to the catalog's
 * final state first (`foldEntities`, the projection's own rules), and each
 * record is derived once from that state by the projection's own change
 * builders, as one batch that creates everything from empty. Memory grows
 * with the catalog (live products and categories), not with the log.
 *
 * @example
 * const bulk = createBulkFold();
 * for (let after = 0; ; ) {
 *   const { events } = await source.pull(after, 1_000);
 *   if (events.length === 0) break;
 *   bulk.add(events);
 *   after = bulk.watermark;
 * }
 * for (const records of bulk.records()) await store.write(records); // one transaction each
 */
export function createBulkFold(): BulkFold {
  let categories: ReadonlyMap<string, Category> = new Map();
  const products = new Map<string, Product>();
  let watermark = 0;
  return {
    get watermark() {
      return watermark;
    },
    add(events) {
      let page = events;
      if (!continues(watermark, events)) {
        const plan = planBatch(watermark, events);
        if (plan.status === "duplicate") return;
        if (plan.status === "gap") throw new BulkFoldGapError(plan.missing, watermark);
        page = plan.events;
      }
      const fold = foldEntities(categories, products, page);
      categories = fold.categories;
      // A deleted product leaves no record, so the state forgets it: this is
      // what keeps memory to the catalog's size rather than the log's length.
      for (const [id, p] of fold.products) {
        if (p === null) products.delete(id);
        else products.set(id, p);
      }
      // planBatch hands back only a run that continues the watermark without a hole.
      watermark += page.length;
    },
    records(chunkSize = defaultBulkChunkSize) {
      if (!Number.isInteger(chunkSize) || chunkSize < 1) {
        throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
      }
      const at = watermark;
      const unchanged = () => {
        if (watermark === at) return;
        throw new Error(
          `the bulk fold moved from ${at} to ${watermark} while its records were read`,
        );
      };
      return bulkRecords(categories, products, { chunkSize, check: unchanged });
    },
  };
}
