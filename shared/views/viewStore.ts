import type { StoredEvent } from "../events/types.ts";
import type { ViewRecord } from "../projection/records.ts";
import type { AnyReadModel, PlanOf, StoredRead } from "./models/readModel.ts";

export type { StoredRead } from "./models/readModel.ts";

/**
 * What `apply` did with a batch.
 * - `applied`: events past the watermark were applied; the new watermark is returned.
 * - `duplicate`: every event was at or below the watermark; nothing changed.
 * - `gap`: the batch starts past `watermark + 1`; nothing changed, pull `missing` first.
 */
export type ApplyResult =
  | { status: "applied"; watermark: number; applied: number }
  | { status: "duplicate"; watermark: number }
  | { status: "gap"; watermark: number; missing: { from: number; to: number } };

/** A digest of the views, and the watermark they stood at. */
export interface DigestAt {
  watermark: number;
  digest: string;
}

/** A read with its data parsed: what tests and typed callers look at. */
export interface Read<T> {
  watermark: number;
  data: T | null;
}

/**
 * The port every view store implements (SQL on SQLite, Upstash Redis, the
 * in-memory reference) and every wrapper forwards (metrics, generations). A
 * store is done when it passes `testViewStore` in `shared/testing/` unchanged.
 */
export interface ViewStore {
  /**
   * Applies the events after the watermark, in seq order, atomically with the
   * new watermark. The batch may hold duplicates and be unsorted; it must be
   * contiguous once sorted and de-duplicated, else the result is `gap`.
   */
  apply(events: readonly StoredEvent[]): Promise<ApplyResult>;
  watermark(): Promise<number>;
  /** One read model's answer for a plan (`model.plan(input)`), from one snapshot. */
  read<M extends AnyReadModel>(model: M, plan: PlanOf<M>): Promise<StoredRead>;
  /**
   * The digest of all view contents, equal across stores holding equal views,
   * with the watermark it belongs to (read in one snapshot): kept with the
   * watermark by every apply, so O(1); `fresh` computes it from every record
   * instead, which also shows views changed behind the store's back.
   */
  digest(options?: { fresh?: boolean }): Promise<DigestAt>;
  /**
   * Stores that can load a whole fold at once (`createBulkFold`) into views
   * nobody has applied to yet: the records in chunks, then the watermark.
   * A rebuild from seq 0 uses it when present, `apply` otherwise.
   */
  bulkLoad?(chunks: Iterable<readonly ViewRecord[]>, watermark: number): Promise<void>;
  close(): Promise<void>;
}
