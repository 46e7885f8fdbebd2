import { z } from "zod";
import { eventTypes, type StoredEvent } from "./types.ts";

/**
 * The wire shape of a stored event, checked wherever events cross the network
 * (pushes, pulled pages). The envelope is checked here; the data of each type
 * is the relay's own output behind a verified signature, and a projection
 * that cannot use it reports a poison event instead of guessing.
 */
export const storedEventSchema = z.object({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  type: z.enum(eventTypes as [StoredEvent["type"], ...StoredEvent["type"][]]),
  aggregateId: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()),
  at: z.string().min(1).max(64),
});

export const eventBatchSchema = z.object({ events: z.array(storedEventSchema).min(1).max(10_000) });

export const eventPageSchema = z.object({
  events: z.array(storedEventSchema),
  head: z.number().int().min(0),
});

/** Narrows checked wire events to the stored-event union. */
export const asStoredEvents = (events: z.infer<typeof storedEventSchema>[]): StoredEvent[] =>
  events as StoredEvent[];
