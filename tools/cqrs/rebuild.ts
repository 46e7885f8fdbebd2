import { parseReaderStatus, type ReaderStatus } from "../../shared/status/readerStatus.ts";
import {
  type GenerationStatus,
  generationStatusSchema,
} from "../../shared/views/generations/generationStatus.ts";
import { type ProgressOutput, progressReporter } from "../rebuild/progress.ts";
import { UsageError } from "./args.ts";
import { type RegionRebuild, startWatch, watchStep } from "./rebuildWatch.ts";
import type { ReaderTarget, StackTarget } from "./stackTarget.ts";
import { type FetchLike, networkReason, UnreachableError } from "./statusFetch.ts";

export interface RebuildOptions {
  adminToken: string;
  /** the whole wait for one region, from the request to the switch */
  timeoutMs: number;
  fetch: FetchLike;
  /** where the progress bar goes (stderr) */
  progress: ProgressOutput;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** between status polls; default 1 s */
  pollMs?: number;
  /** how long one `lastError` (or a vanished build) may last without progress; default 30 s */
  graceMs?: number;
}

/** Each bar starts with its region, for `--all`: `\r` redraws keep the label. */
const labelled = (out: ProgressOutput, region: string): ProgressOutput => ({
  isTTY: out.isTTY,
  write: (text) => out.write(text.replace(/^(\r?)(?=\S)/, `$1${region} `)),
});

/** A reader that did not answer at all: the CLI's exit 2. */
class Unreachable extends Error {}

const requestTimeoutMs = 10_000;
// A fresh digest of a large store takes seconds: give the final status longer.
const digestTimeoutMs = 120_000;

async function call(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Unreachable(`cannot reach ${url}: ${networkReason(error)}`);
  }
}

/** The server's `{ error: { message } }`, else the HTTP status alone. */
async function refusal(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const message = typeof body?.error?.message === "string" ? `: ${body.error.message}` : "";
  return `HTTP ${res.status}${message}`;
}

async function requestRebuild(
  fetchFn: FetchLike,
  reader: ReaderTarget,
  adminToken: string,
): Promise<GenerationStatus> {
  const url = `${reader.url}/v1/admin/rebuild`;
  const res = await call(
    fetchFn,
    url,
    {
      method: "POST",
      headers: { accept: "application/json", authorization: `Bearer ${adminToken}` },
    },
    requestTimeoutMs,
  );
  if (res.status !== 202) throw new Error(`the reader refused the rebuild: ${await refusal(res)}`);
  const parsed = generationStatusSchema.safeParse(
    ((await res.json().catch(() => null)) as { generation?: unknown } | null)?.generation,
  );
  if (!parsed.success) throw new Error(`${url} did not answer with a generation status`);
  return parsed.data;
}

/** A status answered 5xx: a reader in the middle of a switch may answer the next poll. */
class StatusUnavailable extends Error {}

async function readStatus(
  fetchFn: FetchLike,
  reader: ReaderTarget,
  fresh: boolean,
): Promise<ReaderStatus & { generation: GenerationStatus }> {
  const url = `${reader.url}/v1/status${fresh ? "?fresh=1" : ""}`;
  const res = await call(
    fetchFn,
    url,
    { headers: { accept: "application/json" } },
    fresh ? digestTimeoutMs : requestTimeoutMs,
  );
  if (res.status >= 500) throw new StatusUnavailable(`${url} answered ${await refusal(res)}`);
  if (!res.ok) throw new Error(`${url} answered ${await refusal(res)}`);
  const parsed = parseReaderStatus(await res.json().catch(() => null));
  if (!parsed.ok) throw new Error(`${url}: ${parsed.error}`);
  const { generation } = parsed.status;
  if (!generation) throw new Error("the reader's views have no generations to rebuild");
  return { ...parsed.status, generation };
}

type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };

/** Polls the status until the switch; throws on a lasting failure or the timeout. */
async function untilSwitched(
  reader: ReaderTarget,
  accepted: GenerationStatus,
  started: number,
  bar: ReturnType<typeof progressReporter>,
  o: RebuildOptions & Clock,
): Promise<{ to: string; epoch: number }> {
  let watch = startWatch(accepted, started);
  let lastSeen = "";
  // A reader that restarts mid-rebuild resumes it: it may be down for a while, not for good.
  let downSince: number | null = null;
  for (;;) {
    const status = await readStatus(o.fetch, reader, false).catch((error: unknown) => {
      if (error instanceof StatusUnavailable) return error;
      if (!(error instanceof Unreachable)) throw error;
      downSince ??= o.now();
      if (o.now() - downSince >= (o.graceMs ?? 30_000)) throw error;
      return error;
    });
    if (!(status instanceof Unreachable)) downSince = null;
    if (status instanceof StatusUnavailable || status instanceof Unreachable) {
      lastSeen = ` (last: ${status.message})`;
    } else {
      const step = watchStep(watch, status.generation, o.now(), o.graceMs ?? 30_000);
      watch = step.watch;
      const { verdict } = step;
      if (verdict.state === "failed") throw new Error(verdict.reason);
      if (verdict.state === "switched") return verdict;
      if (verdict.progress) bar.update(verdict.progress);
      const b = status.generation.building;
      lastSeen = b ? ` (built up to seq ${b.watermark} of ${b.head ?? "?"})` : "";
    }
    const waited = o.now() - started;
    if (waited >= o.timeoutMs) {
      throw new Error(`not switched after ${(waited / 1_000).toFixed(0)} s${lastSeen}`);
    }
    // Each poll may cost the reader a digest when its watermark moved: no faster than this.
    await o.sleep(Math.min(o.pollMs ?? 1_000, o.timeoutMs - waited));
  }
}

/**
 * `cqrs rebuild <region>`: asks the reader to rebuild its views from the log
 * in a new generation, then polls its `/v1/status`, drawing the build's
 * progress, until the new generation is live. Reads are served from the old
 * one meanwhile. Never throws: an unreachable reader is `unreachable`, a
 * refusal, a lasting build error or the timeout is `failed`.
 *
 * @example
 * const result = await rebuildRegion("us-bun", reader, { adminToken, timeoutMs: 300_000, fetch, progress: stderr });
 * // → { region: "us-bun", outcome: "switched", from: "g1f…", to: "g9c…", events: 412, … }
 */
export async function rebuildRegion(
  region: string,
  reader: ReaderTarget,
  o: RebuildOptions,
): Promise<RegionRebuild> {
  const now = o.now ?? (() => Date.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  let from: string | null = null;
  const bar = progressReporter(labelled(o.progress, region), now);
  try {
    const accepted = await requestRebuild(o.fetch, reader, o.adminToken);
    from = accepted.active;
    const live = await untilSwitched(reader, accepted, started, bar, { ...o, now, sleep });
    // A digest cached per watermark could still be the old generation's.
    const final = await readStatus(o.fetch, reader, true);
    const elapsedMs = now() - started;
    const w = final.watermark;
    bar.update({ watermark: w, head: w, from: 0, applied: w, elapsedMs });
    return {
      region,
      outcome: "switched",
      from,
      to: live.to,
      epoch: live.epoch,
      events: w,
      seconds: elapsedMs / 1_000,
      digest: final.digest,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      region,
      outcome: error instanceof Unreachable ? "unreachable" : "failed",
      from,
      error: message,
    };
  } finally {
    bar.done();
  }
}

/** The stack's readers by region, and the unnamed ones that did not say theirs. */
export interface StackRegions {
  known: Map<string, ReaderTarget>;
  unasked: { url: string; reason: string }[];
}

type Asked = { region: string; reader: ReaderTarget } | { url: string; reason: string };

/**
 * The stack's readers by region: the stack file names them; a reader given
 * by `--reader <url>` alone is asked for its `/v1/status`.
 *
 * @example
 * await readersByRegion(stack, fetch); // → { known: Map { "us-bun" → { url: … } }, unasked: [] }
 */
export async function readersByRegion(
  stack: StackTarget,
  fetchFn: FetchLike,
): Promise<StackRegions> {
  const regions: StackRegions = { known: new Map(), unasked: [] };
  const asked = await Promise.all(
    stack.readers.map(async (r): Promise<Asked> => {
      if (r.region) return { region: r.region, reader: r };
      try {
        const res = await fetchFn(`${r.url}/v1/status`, {
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const parsed = parseReaderStatus(await res.json());
        if (parsed.ok) return { region: parsed.status.region, reader: r };
        return { url: r.url, reason: parsed.error };
      } catch (error) {
        return { url: r.url, reason: networkReason(error) };
      }
    }),
  );
  for (const a of asked) {
    if ("region" in a) regions.known.set(a.region, a.reader);
    else regions.unasked.push(a);
  }
  return regions;
}

/**
 * The readers a `rebuild` names, in the order given (or the stack's for
 * `--all`, where a reader that did not say its region is named by its URL and
 * fails as unreachable). Throws `UsageError` (exit 64) for a region the stack
 * does not have, `UnreachableError` (exit 2) when a silent reader may be it.
 *
 * @example
 * pickReaders({ known, unasked: [] }, { all: false, regions: ["us-bun"] }); // → [["us-bun", { url: … }]]
 */
export function pickReaders(
  { known, unasked }: StackRegions,
  request: { all: boolean; regions: readonly string[] },
): [string, ReaderTarget][] {
  if (request.all) {
    if (known.size + unasked.length === 0) throw new UsageError("the stack names no readers");
    return [...known, ...unasked.map(({ url }): [string, ReaderTarget] => [url, { url }])];
  }
  return request.regions.map((region) => {
    const reader = known.get(region);
    if (reader) return [region, reader];
    if (unasked.length > 0) {
      const silent = unasked.map((u) => `${u.url} (${u.reason})`).join(", ");
      throw new UnreachableError(`cannot tell which reader is ${region}: no answer from ${silent}`);
    }
    const list = [...known.keys()].join(", ") || "none";
    throw new UsageError(`unknown region ${region}: the stack has ${list}`);
  });
}
