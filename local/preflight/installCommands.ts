import type { Tool } from "./tools.ts";

/** One command per package manager that installs `missing`, for a person to copy. */
export interface InstallCommands {
  apt: string;
  brew: string;
  dnf: string;
}

/**
 * The commands that install exactly the `missing` tools with apt, Homebrew and dnf.
 *
 * @example
 * installCommands([tools["redis-server"], tools.chromium]).brew;
 * // "brew install redis && brew install --cask chromium"
 */
export function installCommands(missing: readonly Tool[]): InstallCommands {
  const formulas = missing.flatMap((t) => ("formula" in t.brew ? [t.brew.formula] : []));
  const casks = missing.flatMap((t) => ("cask" in t.brew ? [t.brew.cask] : []));
  return {
    apt: `sudo apt-get install -y ${missing.map((t) => t.apt).join(" ")}`,
    brew: [
      ...(formulas.length > 0 ? [`brew install ${formulas.join(" ")}`] : []),
      ...(casks.length > 0 ? [`brew install --cask ${casks.join(" ")}`] : []),
    ].join(" && "),
    dnf: `sudo dnf install -y ${missing.map((t) => t.dnf).join(" ")}`,
  };
}
