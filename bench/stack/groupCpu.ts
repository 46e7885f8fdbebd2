import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { procFile } from "../proc/procFile.ts";

/** What CPU accounting needs of one `/proc/<pid>/stat` line. */
export interface ProcStat {
  /** the process group the process is in */
  pgrp: number;
  /** user plus system time so far, in clock ticks */
  ticks: number;
}

/**
 * Reads a `/proc/<pid>/stat` line: its process group (field 5) and its user
 * and system time (fields 14 and 15). The command name, in parentheses, may
 * hold spaces and parentheses itself, so fields are counted from its last
 * `)`. Null for a line that does not parse.
 *
 * @example
 * parseProcStat("42 (node) S 1 42 42 0 -1 4194560 0 0 0 0 150 30 0 0 20 0 11"); // → { pgrp: 42, ticks: 180 }
 */
export function parseProcStat(line: string): ProcStat | null {
  const end = line.lastIndexOf(")");
  if (end < 0) return null;
  const fields = line.slice(end + 2).split(" ");
  const pgrp = Number(fields[2]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isInteger(pgrp) && Number.isFinite(ticks) ? { pgrp, ticks } : null;
}

/**
 * A process's `/proc/<pid>/stat` (`"self"` for this one), parsed; null when
 * it is not there (gone, not Linux) or does not parse.
 *
 * @example
 * procStat(server.pid); // → { pgrp: 4242, ticks: 37 }
 */
export const procStat = (pid: number | "self"): ProcStat | null =>
  procFile(pid, "stat", parseProcStat);

/**
 * Ticks per service: the sum over every process in the service's process
 * group, so what a service spawned into its group (Miniflare's workerd, a
 * runtime's wrapper) counts as the service's.
 *
 * @example
 * ticksByGroup([{ pgrp: 7, ticks: 5 }, { pgrp: 7, ticks: 2 }], new Map([["qstash", 7]])); // → Map { "qstash" => 7 }
 */
export function ticksByGroup(
  stats: Iterable<ProcStat>,
  groups: ReadonlyMap<string, number>,
): Map<string, number> {
  const byGroup = new Map<number, number>();
  for (const { pgrp, ticks } of stats) byGroup.set(pgrp, (byGroup.get(pgrp) ?? 0) + ticks);
  return new Map([...groups].map(([name, pgid]) => [name, byGroup.get(pgid) ?? 0]));
}

let ticksPerSecond: number | undefined;
/** The kernel's clock ticks per second (`getconf CLK_TCK`; 100 on Linux when getconf is missing). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!(ticksPerSecond > 0)) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** Milliseconds of CPU time per clock tick of `/proc/<pid>/stat`. */
export const msPerClockTick = (): number => 1_000 / clockTicks();

/**
 * The CPU time each process group has used so far, ms, from `/proc`: a
 * process that exited is no longer counted, so readings compare only while
 * the services run. Null where there is no `/proc` (not Linux).
 *
 * @example
 * const before = groupCpuMs(group.groups()); // → Map { "write-api" => 4210, … }
 */
export function groupCpuMs(groups: ReadonlyMap<string, number>): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats: ProcStat[] = [];
  for (const pid of pids) {
    // null: gone since the listing
    const stat = procStat(Number(pid));
    if (stat) stats.push(stat);
  }
  const msPerTick = msPerClockTick();
  const ticks = ticksByGroup(stats, groups);
  return new Map([...ticks].map(([name, n]) => [name, n * msPerTick]));
}
