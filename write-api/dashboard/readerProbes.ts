import { z } from "zod";
import type { ReaderIdentity, ReaderProbe } from "./dashboardView.ts";

// Only what the dashboard shows; a reader of another version may add fields.
const readerStatusSchema = z.object({
  region: z.string(),
  runtime: z.string().optional(),
  store: z.string().optional(),
  watermark: z.number().int().nonnegative(),
  digest: z.string(),
  lastApplyAt: z.string().nullable().optional(),
  lastPoison: z.object({ at: z.string().nullable(), message: z.string() }).nullable().optional(),
  generation: z
    .object({
      active: z.string(),
      building: z
        .object({ namespace: z.string(), watermark: z.number(), head: z.number().nullable() })
        .nullable(),
    })
    .nullable()
    .optional(),
});

const reason = (error: unknown, timeoutMs: number): string => {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
};

const probe = async (url: string, timeoutMs: number): Promise<ReaderProbe> => {
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { url, ok: false, error: `HTTP ${res.status}` };
    }
    const parsed = readerStatusSchema.safeParse(await res.json());
    if (!parsed.success) return { url, ok: false, error: "not a reader status" };
    return { url, ok: true, status: parsed.data };
  } catch (error) {
    return { url, ok: false, error: reason(error, timeoutMs) };
  }
};

/**
 * Fetches every reader's `GET /v1/status` in parallel, each with its own
 * timeout, so a dead or hanging region shows as unreachable instead of holding
 * up the page. Remembers each URL's last answer so a region that went away is
 * still shown by its name.
 *
 * @example
 * const probeReaders = readerProbes(["http://127.0.0.1:8091/v1/status"], 2_000);
 * await probeReaders(); // → [{ url, ok: true, status: { region: "eu", watermark: 42, … } }]
 */
export function readerProbes(
  urls: readonly string[],
  timeoutMs: number,
): () => Promise<ReaderProbe[]> {
  const lastKnown = new Map<string, ReaderIdentity>();
  return async () => {
    const probes = await Promise.all(urls.map((url) => probe(url, timeoutMs)));
    return probes.map((p) => {
      if (p.ok) {
        const { region, runtime, store } = p.status;
        lastKnown.set(p.url, { region, runtime: runtime ?? null, store: store ?? null });
        return p;
      }
      const known = lastKnown.get(p.url);
      return known ? { ...p, lastKnown: known } : p;
    });
  };
}
