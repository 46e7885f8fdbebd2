import { procFile } from "../proc/procFile.ts";

/**
 * What a `/proc/<pid>/io` text says the process sent (or will send) to
 * storage: `write_bytes`, counted when it dirties a page, so a WAL frame, a
 * checkpoint's copy of it and a temporary file all count and a socket write
 * does not, less `cancelled_write_bytes`, the dirty pages it truncated or
 * deleted before they were written (a temporary file that never reached the
 * disk). Null when the lines are missing.
 *
 * @example
 * writeBytesOf("write_bytes: 8192\ncancelled_write_bytes: 4096\n"); // → 4096
 */
export function writeBytesOf(io: string): number | null {
  const field = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s*(\\d+)$`, "m").exec(io);
    return match ? Number(match[1]) : null;
  };
  const written = field("write_bytes");
  const cancelled = field("cancelled_write_bytes");
  return written === null || cancelled === null ? null : written - cancelled;
}

/**
 * What a process has written to storage so far (`writeBytesOf`), or null
 * where the kernel does not say (not Linux, another user's process, gone).
 *
 * @example
 * const before = diskWrittenBytes("self");
 */
export const diskWrittenBytes = (pid: number | "self"): number | null =>
  procFile(pid, "io", writeBytesOf);

/**
 * KiB written to storage per write between two readings, or null when either
 * is unknown or nothing was written.
 *
 * @example
 * kibPerWrite(0, 409_600, 100); // → 4
 */
export function kibPerWrite(
  before: number | null,
  after: number | null,
  writes: number,
): number | null {
  if (before === null || after === null || writes <= 0) return null;
  return (after - before) / writes / 1024;
}
