import type { Attributes, Money, Product } from "../domain/catalog.ts";

/** What each event type carries. Events are facts: every field is the new value, never a delta alone. */
export interface EventData {
  "category.created": { id: string; slug: string; name: string; parentId: string | null };
  "category.renamed": { id: string; name: string };
  /** the whole product as created; the log assigns createdSeq and version */
  "product.created": Omit<Product, "createdSeq" | "version">;
  "product.updated": {
    id: string;
    name?: string;
    description?: string;
    categoryId?: string;
    attributes?: Attributes;
  };
  "product.priceChanged": { id: string; price: Money };
  /**
   * v2: both levels, before and after, so a consumer sees a sold-out or
   * back-in-stock transition from the event alone (v1 carried `delta` and
   * `stock`; see upcasters.ts).
   */
  "product.stockAdjusted": { id: string; previousStock: number; stock: number };
  "product.published": { id: string };
  "product.archived": { id: string };
  "product.deleted": { id: string };
}

export type EventType = keyof EventData;

export const eventTypes: readonly EventType[] = [
  "category.created",
  "category.renamed",
  "product.created",
  "product.updated",
  "product.priceChanged",
  "product.stockAdjusted",
  "product.published",
  "product.archived",
  "product.deleted",
];

/** An event as a decider produces it, before the log gives it a seq. */
export type NewEvent = {
  [T in EventType]: { type: T; aggregateId: string; data: EventData[T] };
}[EventType];

/**
 * What travels with an event without being one of its facts: never projected,
 * never part of a digest, absent on events written before it existed.
 */
export interface EventMeta {
  /** the `X-Request-Id` of the write that appended the event */
  requestId?: string;
}

/**
 * An event as the log stores and serves it, its data in the current shape.
 * `seq` is global, gap-free and strictly increasing.
 */
export type StoredEvent = NewEvent & { seq: number; at: string; meta?: EventMeta };

/** An event on the wire (`/v1/events`, pushes): with the schema version its data has. */
export type WireEvent = StoredEvent & { schemaVersion: number };
