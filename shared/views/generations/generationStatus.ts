import { z } from "zod";

const count = z.number().int().min(0);

/**
 * What `GET /v1/status` (reader and write API) and `POST /v1/admin/rebuild`
 * show of the views' generation. `GenerationalStore.generation()` returns
 * this type, so the store, both apps' answers, the OpenAPI component and the
 * clients that parse it cannot drift apart.
 *
 * @example
 * generationStatusSchema.parse(status.generation).building?.watermark; // → 4200
 */
export const generationStatusSchema = z.object({
  active: z.string().describe("the namespace reads and live applies go to"),
  epoch: count,
  versions: z
    .record(z.string(), z.number().int())
    .describe("each read model's projection version in this code"),
  building: z
    .object({
      namespace: z.string(),
      epoch: count,
      watermark: count,
      head: count
        .nullable()
        .describe("the primary's head at the last page pulled, the build's moving goal"),
      applied: count,
      startedAt: z.string(),
    })
    .nullable()
    .describe("a new generation being built from the log beside the live one"),
  lastSwitchAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

/** What `/v1/status` shows of the views' generation. */
export type GenerationStatus = z.infer<typeof generationStatusSchema>;
