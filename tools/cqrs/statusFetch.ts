import { z } from "zod";
import { parseReaderStatus } from "../../shared/status/readerStatus.ts";
import type { ReaderTarget, StackTarget } from "./stackTarget.ts";

const primarySchema = z.object({
  head: z.number(),
  published: z.number(),
  watermark: z.number(),
  digest: z.string(),
});

/** The primary's `GET /v1/status`: the log's head, the relay's progress, the inline views' digest. */
export type PrimaryStatus = z.infer<typeof primarySchema> & { url: string };

/** One region as asked: its `GET /v1/status`, or why it did not answer. */
export type RegionProbe =
  | {
      reachable: true;
      url: string;
      region: string;
      runtime: string;
      store: string;
      watermark: number;
      digest: string;
      lastApplyAt: string | null;
    }
  | {
      reachable: false;
      url: string;
      region: string;
      runtime: string;
      store: string;
      error: string;
    };

export interface StackSnapshot {
  primary: PrimaryStatus;
  regions: RegionProbe[];
}

/** The primary (or a required service) did not answer: exit 2. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * A network error in one line: Node's `fetch failed` hides the reason in `cause`.
 *
 * @example
 * networkReason(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })); // → "ECONNREFUSED"
 */
export function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "timed out";
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error.message;
}

async function getJson(fetchFn: FetchLike, url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetchFn(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

async function probeReader(
  fetchFn: FetchLike,
  r: ReaderTarget,
  timeoutMs: number,
  query: string,
): Promise<RegionProbe> {
  const named = {
    url: r.url,
    region: r.region ?? r.url,
    runtime: r.runtime ?? "?",
    store: r.store ?? "?",
  };
  try {
    const parsed = parseReaderStatus(
      await getJson(fetchFn, `${r.url}/v1/status${query}`, timeoutMs),
    );
    if (!parsed.ok) return { ...named, reachable: false, error: parsed.error };
    const s = parsed.status;
    return {
      reachable: true,
      url: r.url,
      region: r.region ?? s.region,
      runtime: r.runtime ?? s.runtime,
      store: r.store ?? s.store,
      watermark: s.watermark,
      digest: s.digest,
      lastApplyAt: s.lastApplyAt,
    };
  } catch (error) {
    return { ...named, reachable: false, error: networkReason(error) };
  }
}

/**
 * Asks the primary and every reader for `GET /v1/status` at once. A reader
 * that does not answer is recorded as unreachable; a primary that does not
 * throws `UnreachableError`, since nothing can be compared without it.
 *
 * @example
 * const { primary, regions } = await fetchSnapshot(target, fetch);
 */
export async function fetchSnapshot(
  target: StackTarget,
  fetchFn: FetchLike,
  timeoutMs = 10_000,
  fresh = false,
): Promise<StackSnapshot> {
  // fresh: digests computed now from every record, not the ones kept with the watermark
  const query = fresh ? "?fresh=1" : "";
  const statusUrl = `${target.writeApi}/v1/status${query}`;
  const [primary, regions] = await Promise.all([
    getJson(fetchFn, statusUrl, timeoutMs).then(
      (body) => {
        const parsed = primarySchema.safeParse(body);
        if (!parsed.success) throw new UnreachableError(`${statusUrl} is not a write API's status`);
        return { ...parsed.data, url: target.writeApi };
      },
      (error: unknown) => {
        throw new UnreachableError(
          `cannot reach the write API at ${statusUrl}: ${networkReason(error)}`,
        );
      },
    ),
    Promise.all(target.readers.map((r) => probeReader(fetchFn, r, timeoutMs, query))),
  ]);
  return { primary, regions };
}
