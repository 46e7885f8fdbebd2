import { setFlagsFromString } from "node:v8";

/**
 * How far past what a collection left live V8 lets a rebuild's heap grow
 * before collecting again: 50%. The bulk fold allocates fast (a new catalog
 * value per event, most of it garbage at once), and V8 answers a fast
 * allocator by growing the old space up to about four times its live size:
 * some 100 MiB live became 430-510 MiB of RSS rebuilding 1,000,000 events
 * into SQL, 340 MiB bounded (at 25%: 320 MiB, but 7% fewer events/s; at 50%
 * 2-3% fewer). Bounded relative to the live size, a bigger catalog still
 * fits; its garbage is only collected sooner.
 */
export const rebuildHeapGrowthPercent = 50;

/**
 * Applies `rebuildHeapGrowthPercent` to this V8 process. For a process whose
 * job is a rebuild (`npm run rebuild`); a reader keeps V8's default.
 *
 * @example
 * boundRebuildHeapGrowth(); // first thing in the rebuild's entry point
 */
export function boundRebuildHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${rebuildHeapGrowthPercent}`);
}
