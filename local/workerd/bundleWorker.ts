import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

export interface WorkerBundle {
  /** the bundled module; its folder holds any other modules it imports */
  scriptPath: string;
  /** the folder wrangler wrote; remove it once workerd has the code */
  outdir: string;
  compatibilityDate: string;
}

const wrangler = resolve(import.meta.dirname, "../../node_modules/.bin/wrangler");

/** A top-level `key = "value"` of a wrangler.toml: the only settings a local host needs. */
export function tomlSetting(toml: string, key: string): string | undefined {
  return toml.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m"))?.[1];
}

/**
 * Bundles a Worker as `wrangler deploy` would (`--dry-run`: nothing leaves the
 * machine), so what runs locally is the code a deploy uploads.
 */
export function bundleWorker(configPath: string): WorkerBundle {
  const config = resolve(configPath);
  const toml = readFileSync(config, "utf8");
  const main = tomlSetting(toml, "main");
  if (!main) throw new Error(`${config} names no main module`);
  const outdir = mkdtempSync(join(tmpdir(), "worker-bundle-"));
  execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", outdir, "--config", config], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: "ignore",
  });
  return {
    scriptPath: join(outdir, basename(main).replace(/\.ts$/, ".js")),
    outdir,
    compatibilityDate: tomlSetting(toml, "compatibility_date") ?? "2025-09-01",
  };
}
