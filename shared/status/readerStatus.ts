import { z } from "zod";
import { generationStatusSchema } from "../views/generations/generationStatus.ts";

const count = z.number().int().min(0);

/** What a reader's self-heal has seen: its last comparison with the primary, and its heals. */
export const selfHealStatusSchema = z.object({
  checks: count.describe("comparisons made: digests walked at the primary's watermark"),
  lastCheckAt: z.string().nullable(),
  lastVerdict: z
    .enum(["agree", "not-comparable", "heal", "held"])
    .nullable()
    .describe("heal: the views differed and a rebuild began; held: they differed within the bound"),
  lastDetail: z.string().nullable().describe("why the last comparison said what it said"),
  heals: count.describe("rebuilds this process began because the views differed"),
  lastHealAt: z.string().nullable(),
});

export type SelfHealStatus = z.infer<typeof selfHealStatusSchema>;

/**
 * A reader's `GET /v1/status`. The route builds its answer typed by it, the
 * OpenAPI document's `ReaderStatus` is generated from it, and the dashboard,
 * the CLI and the scripts parse answers with it. Not strict: a reader of a
 * newer version may add fields, and an older client keeps reading the rest.
 *
 * @example
 * const status = readerStatusSchema.parse(await (await fetch(`${url}/v1/status`)).json());
 * status.watermark; // → 42
 */
export const readerStatusSchema = z.object({
  region: z.string(),
  runtime: z.string(),
  store: z.string(),
  role: z.literal("replica"),
  watermark: count,
  digest: z.string().describe("canonical digest of the views at `watermark`"),
  knownHead: count.describe("the primary's head as last heard, at least `watermark`"),
  lagEvents: count,
  lastApplyAt: z.string().nullable(),
  lastHeardAt: z.string().nullable(),
  sinceHeardMs: z.number().int().nullable(),
  primaryFallbacks: count.describe(
    "reads this process handed to the primary (a token or minVersion ahead of the replica, or a staleness bound it could not meet) since it started; a Worker counts per isolate",
  ),
  lastPoison: z
    .object({ at: z.string(), message: z.string(), details: z.unknown() })
    .nullable()
    .describe("the last signed push refused as unusable: QStash retries it, then dead-letters it"),
  generation: generationStatusSchema
    .nullable()
    .describe("the views' generation; null on a store without generations"),
  selfHeal: selfHealStatusSchema
    .nullable()
    .describe("the views compared with the primary's and rebuilt when they differ; null when off"),
});

export type ReaderStatus = z.infer<typeof readerStatusSchema>;

/** A remote answer read as a reader's status, or one line saying why it is not one. */
export type ParsedReaderStatus = { ok: true; status: ReaderStatus } | { ok: false; error: string };

/**
 * Reads a `GET /v1/status` body without trusting it: a malformed answer (an
 * older reader, a proxy's error page parsed as JSON) is named field by field
 * instead of surfacing later as an `undefined` somewhere else.
 *
 * @example
 * parseReaderStatus({ region: "eu" });
 * // → { ok: false, error: "not a reader's status: runtime: Invalid input: expected string, received undefined (and 13 more)" }
 */
export function parseReaderStatus(body: unknown): ParsedReaderStatus {
  const parsed = readerStatusSchema.safeParse(body);
  if (parsed.success) return { ok: true, status: parsed.data };
  const [first, ...rest] = parsed.error.issues;
  const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  return {
    ok: false,
    error: `not a reader's status: ${where}${first?.message ?? "invalid"}${more}`,
  };
}
