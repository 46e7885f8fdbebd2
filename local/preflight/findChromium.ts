import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Names a Chromium (or Chrome) binary goes by on PATH, in the order we prefer them. */
const chromiumNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
/** Where Homebrew's casks put it on macOS: no binary on PATH there. */
const appBundles = [
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** Whether `path` is a file this process may execute. */
export const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable called `name` on `PATH`, as a shell would find it. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Chromium the browser tests drive through playwright-core (which downloads
 * no browser of its own): `CHROMIUM_PATH` when set, else the first of the usual
 * names on PATH, else a macOS app bundle. `undefined` when there is none.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const name of chromiumNames) {
    const found = findOnPath(name, env);
    if (found) return found;
  }
  return appBundles.find(isExecutable);
}
