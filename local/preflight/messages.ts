import { installCommands } from "./installCommands.ts";
import type { PreflightCommand, Tool } from "./tools.ts";

/** "a", "a and b", "a, b and c". */
const listOf = (names: readonly string[]): string =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

const needsLine = (command: PreflightCommand, missing: readonly Tool[]) => {
  const names = missing.map((t) => t.name);
  return `npm ${command} needs ${listOf(names)}, which ${names.length === 1 ? "was" : "were"} not found.`;
};

/** The apt-get runs the install branch makes, as they would be typed. */
export const aptSteps = (missing: readonly Tool[]): string[][] => [
  ["update"],
  ["install", "-y", ...missing.map((t) => t.apt)],
];

/** Said before installing anything, so nobody's machine changes unannounced. */
export function installingMessage(command: PreflightCommand, missing: readonly Tool[]): string {
  return [
    `${needsLine(command, missing)} Installing with apt-get (PREFLIGHT_INSTALL=0 turns this off):`,
    ...aptSteps(missing).map((args) => `  apt-get ${args.join(" ")}`),
  ].join("\n");
}

/** Said once the installed tools are found. */
export function installedMessage(found: readonly { tool: Tool; path: string }[]): string {
  return `Installed ${listOf(found.map(({ tool, path }) => `${tool.name} (${path})`))}.`;
}

/** Why the command cannot run, and how to install exactly what is missing. */
export function stopMessage(command: PreflightCommand, missing: readonly Tool[], reason: string) {
  const commands = installCommands(missing);
  return [
    needsLine(command, missing),
    reason,
    "Install with one of:",
    `  apt   ${commands.apt}`,
    `  brew  ${commands.brew}`,
    `  dnf   ${commands.dnf}`,
    `or point ${listOf(missing.map((t) => t.variable))} at ${missing.length === 1 ? "it" : "them"}.`,
  ].join("\n");
}
