import { z } from "zod";
import { productStatuses } from "../domain/catalog.ts";
import { eventTypes, type StoredEvent } from "./types.ts";

const id = z.string().min(1).max(64);
const text = z.string().max(10_000);
const money = z.object({
  amount: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/**
 * The shape of each event type's data. A push is signed by QStash, but a
 * signature proves who sent it, not that it makes sense: an event the
 * projection could not use is refused (a poison message, 422) instead of
 * moving the watermark past a seq the primary used for something else.
 */
export const eventDataSchemas = {
  "category.created": z.object({
    id,
    slug: z.string().min(1),
    name: text,
    parentId: id.nullable(),
  }),
  "category.renamed": z.object({ id, name: text }),
  "product.created": z.object({
    id,
    sku: z.string().min(1),
    slug: z.string().min(1),
    name: text,
    description: text,
    categoryId: id,
    price: money,
    stock: z.number().int().min(0),
    status: z.enum(productStatuses),
    attributes,
  }),
  "product.updated": z.object({
    id,
    name: text.optional(),
    description: text.optional(),
    categoryId: id.optional(),
    attributes: attributes.optional(),
  }),
  "product.priceChanged": z.object({ id, price: money }),
  "product.stockAdjusted": z.object({
    id,
    delta: z.number().int(),
    stock: z.number().int().min(0),
  }),
  "product.published": z.object({ id }),
  "product.archived": z.object({ id }),
  "product.deleted": z.object({ id }),
} satisfies Record<StoredEvent["type"], z.ZodType>;

/**
 * The wire shape of a stored event, checked wherever events cross the network
 * (pushes, pulled pages): the envelope, and the data against its type.
 */
export const storedEventSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    type: z.enum(eventTypes as [StoredEvent["type"], ...StoredEvent["type"][]]),
    aggregateId: id,
    data: z.record(z.string(), z.unknown()),
    at: z.string().min(1).max(64),
  })
  .superRefine((event, ctx) => {
    const data = eventDataSchemas[event.type].safeParse(event.data);
    if (!data.success) {
      for (const issue of data.error.issues) {
        ctx.addIssue({
          code: "custom",
          path: ["data", ...issue.path.map(String)],
          message: issue.message,
        });
      }
    } else if ((data.data as { id: string }).id !== event.aggregateId) {
      ctx.addIssue({ code: "custom", path: ["data", "id"], message: "does not match aggregateId" });
    }
  });

export const eventBatchSchema = z.object({ events: z.array(storedEventSchema).min(1).max(10_000) });

export const eventPageSchema = z.object({
  events: z.array(storedEventSchema),
  head: z.number().int().min(0),
});

/** Narrows checked wire events to the stored-event union. */
export const asStoredEvents = (events: z.infer<typeof storedEventSchema>[]): StoredEvent[] =>
  events as StoredEvent[];
