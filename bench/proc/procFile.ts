import { readFileSync } from "node:fs";

/**
 * A process's `/proc/<pid>/<name>` (`"self"` for this one), parsed; null when
 * it is not there (gone, another user's, not Linux) or does not parse.
 *
 * @example
 * procFile("self", "io", writeBytesOf); // → 40960
 */
export function procFile<T>(
  pid: number | "self",
  name: string,
  parse: (text: string) => T | null,
): T | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return null;
  }
  return parse(text);
}
