import { eq, sql } from "drizzle-orm";
import { currentEventVersions } from "../../shared/events/eventVersions.ts";
import type { EventMeta, NewEvent, StoredEvent } from "../../shared/events/types.ts";
import { categories, events, products } from "../db/schema.ts";
import type { Tx } from "../db/writeTransactions.ts";

/**
 * Appends events with the next seqs. sqlite_sequence holds the highest seq
 * ever used and this runs inside the serialized write transaction, so seqs are
 * gap-free, strictly increasing and in commit order: a reader can never see
 * N+1 before N is committed. Every event is written in its type's current
 * schema version, with the request's metadata beside it.
 */
export async function appendEvents(
  tx: Tx,
  newEvents: NewEvent[],
  at: string,
  meta: EventMeta = {},
): Promise<StoredEvent[]> {
  if (newEvents.length === 0) return [];
  const [head] = await tx.all<{ seq: number }>(
    sql`SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS seq`,
  );
  const first = (head?.seq ?? 0) + 1;
  const stored = newEvents.map(
    (e, i) => ({ ...e, seq: first + i, at, ...(meta.requestId && { meta }) }) as StoredEvent,
  );
  await tx.insert(events).values(
    stored.map((e) => ({
      seq: e.seq,
      type: e.type,
      aggregateId: e.aggregateId,
      data: JSON.stringify(e.data),
      schemaVersion: currentEventVersions[e.type],
      at: e.at,
      requestId: meta.requestId ?? null,
    })),
  );
  return stored;
}

/** Folds one stored event into the normalized tables; `version` becomes its seq. */
export async function applyToTables(tx: Tx, event: StoredEvent): Promise<void> {
  const version = event.seq;
  switch (event.type) {
    case "category.created": {
      const { id, slug, name, parentId } = event.data;
      await tx.insert(categories).values({ id, slug, name, parentId, version });
      return;
    }
    case "category.renamed":
      await tx
        .update(categories)
        .set({ name: event.data.name, version })
        .where(eq(categories.id, event.data.id));
      return;
    case "product.created": {
      const { price, ...rest } = event.data;
      await tx.insert(products).values({
        ...rest,
        priceAmount: price.amount,
        priceCurrency: price.currency,
        createdSeq: event.seq,
        version,
      });
      return;
    }
    case "product.updated": {
      const { id, ...changes } = event.data;
      await tx
        .update(products)
        .set({ ...changes, version })
        .where(eq(products.id, id));
      return;
    }
    case "product.priceChanged":
      await tx
        .update(products)
        .set({
          priceAmount: event.data.price.amount,
          priceCurrency: event.data.price.currency,
          version,
        })
        .where(eq(products.id, event.data.id));
      return;
    case "product.stockAdjusted":
      await tx
        .update(products)
        .set({ stock: event.data.stock, version })
        .where(eq(products.id, event.data.id));
      return;
    case "product.published":
    case "product.archived":
      await tx
        .update(products)
        .set({ status: event.type === "product.published" ? "active" : "archived", version })
        .where(eq(products.id, event.data.id));
      return;
    case "product.deleted":
      await tx.delete(products).where(eq(products.id, event.data.id));
      return;
  }
}
