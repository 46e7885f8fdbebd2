import { z } from "zod";
import { generationStatusSchema } from "../views/generations/generationStatus.ts";

const count = z.number().int().min(0);

/**
 * The write API's `GET /v1/status`: the route builds its answer typed by it
 * and the OpenAPI document's `WriteApiStatus` is generated from it.
 *
 * @example
 * writeApiStatusSchema.parse(await (await fetch(`${writeApi}/v1/status`)).json()).head; // → 42
 */
export const writeApiStatusSchema = z.object({
  role: z.literal("primary"),
  head: count.describe("the last committed seq"),
  published: count.describe("the relay's watermark: everything up to here was handed to QStash"),
  watermark: count.describe("the inline views' watermark"),
  digest: z.string().describe("canonical digest of the inline views at `watermark`"),
  generation: generationStatusSchema,
});

export type WriteApiStatus = z.infer<typeof writeApiStatusSchema>;
