import { join } from "node:path";

/** A runtime that runs our TypeScript entries as a process of its own (workerd has a host of its own). */
export type ProcessRuntime = "node" | "bun" | "deno";

/** The runtimes with a write API entry, `write-api/runtimes/<runtime>.ts`. */
export const writeApiRuntimes = [
  "node",
  "bun",
  "deno",
] as const satisfies readonly ProcessRuntime[];
export type WriteApiRuntime = (typeof writeApiRuntimes)[number];

/**
 * How a runtime runs one of our TypeScript entries, from the repository's
 * root: Node through tsx, Bun as it is, Deno with its npm packages from
 * ./node_modules; Bun and Deno are the npm packages' binaries.
 *
 * @example
 * runtimeCommand("bun", "write-api/runtimes/bun.ts"); // → { command: "node_modules/.bin/bun", args: ["write-api/runtimes/bun.ts"] }
 */
export function runtimeCommand(
  runtime: ProcessRuntime,
  entry: string,
): { command: string; args: string[] } {
  const bin = (name: string) => join("node_modules", ".bin", name);
  if (runtime === "bun") return { command: bin("bun"), args: [entry] };
  if (runtime === "deno") {
    return { command: bin("deno"), args: ["run", "-A", "--node-modules-dir=manual", entry] };
  }
  return { command: process.execPath, args: ["--import", "tsx", entry] };
}
