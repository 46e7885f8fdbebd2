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
  /** `stock` is the level after the change, so replaying the event is exact. */
  "product.stockAdjusted": { id: string; delta: number; stock: number };
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

/** An event as the log stores and serves it. `seq` is global, gap-free and strictly increasing. */
export type StoredEvent = NewEvent & { seq: number; at: string };
