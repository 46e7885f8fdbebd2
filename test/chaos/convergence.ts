import { rmSync } from "node:fs";
import { join } from "node:path";
import type { StackFile } from "../../local/stack/launchStack.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";

/** A command the write API answered 200 to: its aggregate, the version it returned and, for a product, its slug. */
export interface Accepted {
  aggregateId: string;
  version: number;
  productSlug?: string;
}

export interface ConvergenceReport {
  head: number;
  digest: string;
  /** from the call until every reader matched the primary (or the deadline) */
  waitedMs: number;
  /** regions whose watermark or digest differ from the primary's at the end, and "fresh rebuild" if the rebuild differs */
  divergent: string[];
  /** accepted commands whose event is not in the log at its version, or whose product a reader shows older */
  lost: Accepted[];
}

interface Status {
  watermark: number;
  digest: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T | null> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/** Waits until every reader's watermark and digest equal the primary's; never throws, reports who did not. */
async function waitForReaders(stack: StackFile, deadlineMs: number) {
  const started = Date.now();
  for (;;) {
    const primary = await getJson<{ head: number; digest: string }>(
      `${stack.writeApi.url}/v1/status`,
    );
    const readers = await Promise.all(
      stack.readers.map((r) => getJson<Status>(`${r.url}/v1/status?fresh=1`)),
    );
    const behind = stack.readers
      .filter((_r, i) => {
        const s = readers[i];
        return !primary || !s || s.watermark !== primary.head || s.digest !== primary.digest;
      })
      .map((r) => r.region);
    const waitedMs = Date.now() - started;
    if (primary && (behind.length === 0 || waitedMs > deadlineMs)) {
      return { head: primary.head, digest: primary.digest, behind, waitedMs };
    }
    if (!primary && waitedMs > deadlineMs) throw new Error("the write API's status is unreachable");
    await sleep(250);
  }
}

/** Every seq → aggregate id in the primary's log after `after`, page by page. */
async function logAggregates(stack: StackFile, after: number, head: number) {
  const source = httpEventSource({ url: stack.writeApi.url, readerToken: stack.tokens.reader });
  const bySeq = new Map<number, string>();
  for (let at = after; at < head; ) {
    const page = await source.pull(at, 1_000);
    const last = page.events.at(-1);
    if (!last) break;
    for (const e of page.events) bySeq.set(e.seq, e.aggregateId);
    at = last.seq;
  }
  return bySeq;
}

/** The highest accepted version per product slug: what every reader must show at least. */
function newestPerProduct(accepted: readonly Accepted[]) {
  const newest = new Map<string, number>();
  for (const a of accepted) {
    if (a.productSlug === undefined) continue;
    newest.set(a.productSlug, Math.max(newest.get(a.productSlug) ?? 0, a.version));
  }
  return newest;
}

/** Product slugs some reader serves older than their newest accepted version (or not at all). */
async function staleProducts(stack: StackFile, newest: Map<string, number>): Promise<Set<string>> {
  const stale = new Set<string>();
  for (const r of stack.readers) {
    for (const [slug, version] of newest) {
      const page = await getJson<{ product: { version: number } }>(
        `${r.url}/v1/products/${encodeURIComponent(slug)}`,
      );
      if (!page || page.product.version < version) stale.add(slug);
    }
  }
  return stale;
}

/**
 * The promise after a scenario, measured rather than asserted so a soak can
 * report it: every reader equals the primary (watermark and digest), a fresh
 * rebuild of the log equals the primary's inline views, every accepted
 * command's event sits in the log at the version it was answered with, and
 * every reader shows each touched product at least at its newest accepted version.
 *
 * @example
 * const report = await proveConvergence({ stack, dataDir, accepted, deadlineMs: 90_000 });
 * report.divergent; // → []
 */
export async function proveConvergence(o: {
  stack: StackFile;
  dataDir: string;
  accepted: readonly Accepted[];
  deadlineMs: number;
}): Promise<ConvergenceReport> {
  const { stack } = o;
  const readers = await waitForReaders(stack, o.deadlineMs);
  const divergent = [...readers.behind];
  const file = join(o.dataDir, `rebuild-${readers.head}-${Date.now()}.db`);
  const store = await openSqlViewStore(file);
  try {
    const rebuilt = await rebuildViews({
      store,
      source: httpEventSource({ url: stack.writeApi.url, readerToken: stack.tokens.reader }),
    });
    if (rebuilt.watermark !== readers.head || rebuilt.digest !== readers.digest) {
      divergent.push("fresh rebuild");
    }
  } finally {
    await store.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  }
  const lowest = Math.min(readers.head, ...o.accepted.map((a) => a.version));
  const log = await logAggregates(stack, Math.max(0, lowest - 1), readers.head);
  const stale = await staleProducts(stack, newestPerProduct(o.accepted));
  const lost = o.accepted.filter(
    (a) =>
      log.get(a.version) !== a.aggregateId ||
      (a.productSlug !== undefined && stale.has(a.productSlug)),
  );
  return {
    head: readers.head,
    digest: readers.digest,
    waitedMs: readers.waitedMs,
    divergent,
    lost,
  };
}
