import { z } from "zod";
import { readerStatusSchema } from "../status/readerStatus.ts";
import { writeApiStatusSchema } from "../status/writeApiStatus.ts";
import { generationStatusSchema } from "../views/generations/generationStatus.ts";
import { navigationNode } from "../views/models/navigation/navigation.ts";
import type { AnyReadModel, DataOf } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import { int } from "../views/models/schemas.ts";

const watermark = int.min(0);

const answerOf = (m: AnyReadModel) => z.object({ [m.key]: m.data as z.ZodType, watermark });

/** Every read model's answer, `{ <key>: data, watermark }`, by its component name. */
const readResponses = Object.fromEntries(
  (readModelList as readonly AnyReadModel[]).map((m) => [m.responseName, answerOf(m)]),
);

/** A read model's whole answer, typed: `{ [key]: data, watermark }`. */
export type AnswerOf<M extends AnyReadModel> = { [K in M["key"]]: DataOf<M> } & {
  watermark: number;
};

/**
 * The schema of a read model's answer, the one its OpenAPI component is made of.
 *
 * @example
 * responseSchemaOf(productPage).parse(await res.json()).product.name; // → "Desk lamp"
 */
export const responseSchemaOf = <M extends AnyReadModel>(model: M): z.ZodType<AnswerOf<M>> =>
  answerOf(model) as unknown as z.ZodType<AnswerOf<M>>;

/** Response bodies, by component name. */
export const responseSchemas = {
  NavigationNode: navigationNode,
  ...readResponses,
  CommandResult: z.object({
    version: int.min(1),
    results: z.array(z.object({ id: z.string() })),
  }),
  GenerationStatus: generationStatusSchema,
  WriteApiStatus: writeApiStatusSchema,
  ReaderStatus: readerStatusSchema,
  IngestResult: z.object({
    status: z.enum(["applied", "duplicate"]),
    watermark: int,
    pulled: int,
  }),
  Health: z.object({ ok: z.literal(true) }),
} as const;
