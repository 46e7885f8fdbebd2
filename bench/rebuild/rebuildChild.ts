import { Redis } from "@upstash/redis";
import { redisViewNamespaces } from "../../shared/views/stores/redis/redisNamespaces.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import { boundRebuildHeapGrowth } from "../../tools/rebuild/heapGrowth.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";
import { primaryEventSource } from "../data/primaryEventSource.ts";

// Child process: `node --import tsx bench/rebuild/rebuildChild.ts '<json>'`. Its own
// process so that the RSS it reports is the rebuild's alone, set up as `npm run rebuild`'s.
export interface RebuildJob {
  primaryPath: string;
  target: "sql" | "redis";
  /** "bulk": fold in memory and load each record once; "apply": batch by batch */
  path: "bulk" | "apply";
  viewDbPath?: string;
  redis?: { url: string; token: string };
}

boundRebuildHeapGrowth();
const job = JSON.parse(process.argv[2] ?? "{}") as RebuildJob;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const openTarget = async (): Promise<ViewStore> => {
  if (job.target === "sql") return openSqlViewStore(job.viewDbPath ?? ":memory:");
  if (!job.redis) throw new Error("redis target needs url and token");
  const redis = new Redis({
    ...job.redis,
    automaticDeserialization: false,
    enableTelemetry: false,
  });
  await redis.flushdb();
  // the live namespace, stamped with this code's key layout as a reader opens it: a store
  // written without the stamp reads as layout 1, which a reader only serves 503s from
  return redisViewNamespaces(redis).open("");
};

const source = await primaryEventSource(job.primaryPath);
const store = await openTarget();
try {
  const summary = await rebuildViews({ source, store, bulk: job.path === "bulk" });
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(
    `${JSON.stringify({
      events: summary.events,
      seconds: summary.seconds,
      eventsPerSecond: summary.eventsPerSecond,
      digest: summary.digest,
      peakRssMiB: peakRss / 2 ** 20,
    })}\n`,
  );
} finally {
  clearInterval(sampler);
  await store.close();
  source.close();
}
