import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

const versionOf = (bin: string, args: string[]): string => {
  try {
    return (
      execFileSync(join(root, "node_modules/.bin", bin), args, {
        encoding: "utf8",
        timeout: 30_000,
      })
        .trim()
        .split("\n")[0] ?? ""
    );
  } catch {
    return "unavailable";
  }
};

const fsOf = (dir: string): string => {
  try {
    return (
      execFileSync("df", ["-T", dir], { encoding: "utf8" }).split("\n")[1]?.split(/\s+/)[1] ?? ""
    );
  } catch {
    return "unknown";
  }
};

/** What the numbers were measured on; `dataDir`'s filesystem decides what an fsync costs. */
export function machineInfo(dataDir: string) {
  return {
    dataFilesystem: fsOf(dataDir),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    bun: versionOf("bun", ["--version"]),
    deno: versionOf("deno", ["--version"]),
    workerd: versionOf("workerd", ["--version"]),
    wrangler: versionOf("wrangler", ["--version"]),
  };
}

export type MachineInfo = ReturnType<typeof machineInfo>;
