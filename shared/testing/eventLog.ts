import type { Attributes, Money, ProductStatus } from "../domain/catalog.ts";
import type { EventData, EventType, NewEvent, StoredEvent } from "../events/types.ts";

export interface ProductInput {
  id?: string;
  slug: string;
  name: string;
  description?: string;
  categoryId: string;
  price?: Money;
  stock?: number;
  status?: ProductStatus;
  attributes?: Attributes;
}

/**
 * Builds a valid event log by hand for tests: seqs from 1, a fixed clock,
 * ids derived from slugs. Each method appends one event and returns it.
 *
 * @example
 * const log = new EventLog();
 * const home = log.category("home", "Home");
 * log.product({ slug: "lamp", name: "Lamp", categoryId: home });
 * store.apply(log.events);
 */
export class EventLog {
  readonly events: StoredEvent[] = [];

  get head(): number {
    return this.events.length;
  }

  /** The events after `after`, as the primary's `/v1/events` would serve them. */
  after(after: number, limit = Number.POSITIVE_INFINITY): StoredEvent[] {
    return this.events.slice(after, after + limit);
  }

  append<T extends EventType>(type: T, data: EventData[T]): StoredEvent {
    const seq = this.events.length + 1;
    const at = new Date(Date.UTC(2026, 10, 25, 12, 0, 0, seq)).toISOString();
    const event = { type, aggregateId: (data as { id: string }).id, data, seq, at } as NewEvent & {
      seq: number;
      at: string;
    };
    this.events.push(event);
    return event;
  }

  category(slug: string, name: string, parentId: string | null = null): string {
    const id = `cat_${slug}`;
    this.append("category.created", { id, slug, name, parentId });
    return id;
  }

  renameCategory(id: string, name: string): StoredEvent {
    return this.append("category.renamed", { id, name });
  }

  product(p: ProductInput): string {
    const id = p.id ?? `prd_${p.slug}`;
    this.append("product.created", {
      id,
      sku: `SKU-${p.slug}`,
      slug: p.slug,
      name: p.name,
      description: p.description ?? "",
      categoryId: p.categoryId,
      price: p.price ?? { amount: 1_000, currency: "EUR" },
      stock: p.stock ?? 10,
      status: p.status ?? "active",
      attributes: p.attributes ?? {},
    });
    return id;
  }

  update(id: string, fields: Omit<EventData["product.updated"], "id">): StoredEvent {
    return this.append("product.updated", { id, ...fields });
  }

  price(id: string, amount: number, currency = "EUR"): StoredEvent {
    return this.append("product.priceChanged", { id, price: { amount, currency } });
  }

  stock(id: string, stock: number, delta = 0): StoredEvent {
    return this.append("product.stockAdjusted", { id, previousStock: stock - delta, stock });
  }

  publish(id: string): StoredEvent {
    return this.append("product.published", { id });
  }

  archive(id: string): StoredEvent {
    return this.append("product.archived", { id });
  }

  delete(id: string): StoredEvent {
    return this.append("product.deleted", { id });
  }
}
