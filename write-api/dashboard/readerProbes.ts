import { parseReaderStatus } from "../../shared/status/readerStatus.ts";
import type { ReaderIdentity, ReaderProbe } from "./dashboardView.ts";

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
    const parsed = parseReaderStatus(await res.json());
    return parsed.ok
      ? { url, ok: true, status: parsed.status }
      : { url, ok: false, error: parsed.error };
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
        lastKnown.set(p.url, { region, runtime, store });
        return p;
      }
      const known = lastKnown.get(p.url);
      return known ? { ...p, lastKnown: known } : p;
    });
  };
}
