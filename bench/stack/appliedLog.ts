import { closeSync, openSync, readSync, statSync } from "node:fs";

/** One "reader applied" line: when the apply had committed (epoch ms) and the watermark it left. */
export interface Applied {
  at: number;
  watermark: number;
}

/**
 * The "reader applied" lines of a reader's log, in order, each with the
 * highest watermark so far (watermarks only move forward; a catch-up and a
 * push may log out of order). A reader logs the line once its apply has
 * committed, with the time it logged it (`LogLine.time`, ms): from then on a
 * read sees the apply. Lines that are not JSON (a runtime's own output) or
 * say something else are skipped.
 *
 * @example
 * appliedLines('{"time":"2026-12-05T10:00:00.005Z","msg":"reader applied","watermark":7}\n'); // → [{ at: 1796464800005, watermark: 7 }]
 */
export function appliedLines(text: string): Applied[] {
  const out: Applied[] = [];
  let high = -1;
  for (const line of text.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"reader applied"')) continue;
    let parsed: { msg?: unknown; time?: unknown; watermark?: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      continue;
    }
    const at = typeof parsed.time === "string" ? Date.parse(parsed.time) : Number.NaN;
    const watermark = Number(parsed.watermark);
    if (parsed.msg !== "reader applied" || !Number.isFinite(at) || !Number.isFinite(watermark)) {
      continue;
    }
    high = Math.max(high, watermark);
    out.push({ at, watermark: high });
  }
  return out;
}

/**
 * When a version became visible: the time of the first line whose watermark
 * reached it, or null when none did.
 *
 * @example
 * firstAppliedAt([{ at: 10, watermark: 3 }, { at: 12, watermark: 9 }], 5); // → 12
 */
export function firstAppliedAt(lines: readonly Applied[], version: number): number | null {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid]?.watermark ?? -1) >= version) hi = mid;
    else lo = mid + 1;
  }
  return lines[lo]?.at ?? null;
}

/** A log file's size now: where a later `readFrom` starts, so lines written before are not read again. */
export const logSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** A log file's text from byte `offset` to its end. */
export function readFrom(path: string, offset: number): string {
  const size = logSize(path);
  if (size <= offset) return "";
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}
