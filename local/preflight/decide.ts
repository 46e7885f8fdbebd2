import type { Installer } from "./installer.ts";
import type { Tool } from "./tools.ts";

/** A needed tool that was not found, and the value of its variable when that was set. */
export interface Missing {
  tool: Tool;
  pinned?: string;
}

export type Decision =
  | { kind: "ready" }
  | { kind: "install"; missing: readonly Tool[]; aptGet: string }
  | { kind: "stop"; missing: readonly Tool[]; reason: string };

/**
 * What the preflight does about the tools it did not find: nothing when none is missing,
 * install them when the installer allows, else stop and say why. A tool whose variable points
 * at nothing stops it too: a package would not change what the variable names.
 *
 * @example
 * decide([{ tool: tools.chromium }], { aptGet: "/usr/bin/apt-get" });
 * // { kind: "install", missing: [tools.chromium], aptGet: "/usr/bin/apt-get" }
 */
export function decide(missing: readonly Missing[], installer: Installer): Decision {
  if (missing.length === 0) return { kind: "ready" };
  const tools = missing.map((m) => m.tool);
  const pinned = missing.find((m) => m.pinned !== undefined);
  if (pinned) {
    const { name, variable } = pinned.tool;
    const reason = `${variable} is set to "${pinned.pinned}", which is not an executable; point it at ${name} or unset it.`;
    return { kind: "stop", missing: tools, reason };
  }
  if ("blocker" in installer) return { kind: "stop", missing: tools, reason: installer.blocker };
  return { kind: "install", missing: tools, aptGet: installer.aptGet };
}
