import { z } from "zod";
import { productStatuses } from "../domain/catalog.ts";
import { currentEventVersions } from "./eventVersions.ts";
import { type EventData, type EventType, eventTypes, type StoredEvent } from "./types.ts";
import { upcastData } from "./upcasters.ts";

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
    previousStock: z.number().int().min(0),
    stock: z.number().int().min(0),
  }),
  "product.published": z.object({ id }),
  "product.archived": z.object({ id }),
  "product.deleted": z.object({ id }),
} satisfies Record<StoredEvent["type"], z.ZodType>;

// The event types (types.ts) are written by hand for their doc comments; this
// makes `tsc` (part of `npm test`) refuse any type whose data shape and schema
// drift apart, in either direction.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// mutual assignability misses an extra optional field: the keys must match too
type SameShape<A, B> = Same<A, B> extends true ? Same<keyof A, keyof B> : false;
const shapesAgree: {
  [T in EventType]: SameShape<z.infer<(typeof eventDataSchemas)[T]>, EventData[T]>;
} = {
  "category.created": true,
  "category.renamed": true,
  "product.created": true,
  "product.updated": true,
  "product.priceChanged": true,
  "product.stockAdjusted": true,
  "product.published": true,
  "product.archived": true,
  "product.deleted": true,
};
void shapesAgree;

/**
 * The data schemas of older versions, by type and version, so an event is
 * checked against the shape it was written with before it is upcast.
 */
export const legacyEventDataSchemas: {
  readonly [T in EventType]?: Readonly<Record<number, z.ZodType>>;
} = {
  "product.stockAdjusted": {
    1: z.object({ id, delta: z.number().int(), stock: z.number().int().min(0) }),
  },
};

const dataIssues = (
  ctx: z.RefinementCtx,
  schema: z.ZodType | undefined,
  data: unknown,
  label = "",
): boolean => {
  const result = schema?.safeParse(data);
  if (!result) {
    ctx.addIssue({
      code: "custom",
      path: ["schemaVersion"],
      message: "no schema for this version",
    });
    return false;
  }
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({
      code: "custom",
      path: ["data", ...issue.path.map(String)],
      message: `${label}${issue.message}`,
    });
  }
  return result.success;
};

/** True for the issue a too-new `schemaVersion` raises: a 422 `unsupported_event_version`. */
export const isUnsupportedVersionIssue = (issue: z.core.$ZodIssue): boolean =>
  issue.code === "custom" && issue.path.at(-1) === "schemaVersion";

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
    /** the version of `data`'s shape; absent means 1 (pushes from before versions) */
    schemaVersion: z.number().int().min(1).max(1_000_000).optional(),
    meta: z.object({ requestId: z.string().min(1).max(200).optional() }).optional(),
  })
  .superRefine((event, ctx) => {
    const version = event.schemaVersion ?? 1;
    const current = currentEventVersions[event.type];
    if (version > current) {
      ctx.addIssue({
        code: "custom",
        path: ["schemaVersion"],
        message: `${event.type} v${version} is newer than this code knows (v${current})`,
      });
      return;
    }
    const schema =
      version === current
        ? eventDataSchemas[event.type]
        : legacyEventDataSchemas[event.type]?.[version];
    if (!dataIssues(ctx, schema, event.data)) return;
    if ((event.data as { id?: unknown }).id !== event.aggregateId) {
      ctx.addIssue({ code: "custom", path: ["data", "id"], message: "does not match aggregateId" });
    } else if (version < current) {
      // an upcaster must yield a valid current event, or the projection would get nonsense
      const upcast = upcastData(event.type, version, event.data);
      dataIssues(ctx, eventDataSchemas[event.type], upcast, `after upcasting from v${version}: `);
    }
  });

export const eventBatchSchema = z.object({ events: z.array(storedEventSchema).min(1).max(10_000) });

export const eventPageSchema = z.object({
  events: z.array(storedEventSchema),
  head: z.number().int().min(0),
});

/**
 * Turns checked wire events into stored events in the current shape: each
 * one's data upcast from its `schemaVersion`, the version itself dropped
 * (every event in memory is current), `meta` kept.
 *
 * @example
 * asStoredEvents(eventBatchSchema.parse(json).events); // → StoredEvent[], all current
 */
export const asStoredEvents = (events: z.infer<typeof storedEventSchema>[]): StoredEvent[] =>
  events.map(
    ({ seq, type, aggregateId, data, at, schemaVersion, meta }) =>
      ({
        seq,
        type,
        aggregateId,
        data: upcastData(type, schemaVersion ?? 1, data, seq),
        at,
        ...(meta && { meta }),
      }) as StoredEvent,
  );
