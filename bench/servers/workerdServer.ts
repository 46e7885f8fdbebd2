import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Miniflare } from "miniflare";

// `WORKER_CONFIG=<wrangler toml> WORKER_VARS=<json> PORT=… node --import tsx bench/servers/workerdServer.ts`
//
// A Worker on one workerd process. `wrangler dev` runs two (a proxy Worker in
// front of the user's, plus a request-log call back to Node per request), which
// caps a constant body near 1,000 req/s on 2 cores: that measures wrangler's dev
// proxy, not workerd. Here wrangler only bundles (`deploy --dry-run`, as a
// deploy would), and Miniflare (wrangler's own) serves the bundle without
// request logs.
const config = resolve(String(process.env.WORKER_CONFIG));
const vars = JSON.parse(process.env.WORKER_VARS ?? "{}") as Record<string, string>;
const toml = readFileSync(config, "utf8");
const setting = (key: string) => toml.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m"))?.[1];
const main = setting("main");
if (!main) throw new Error(`no main in ${config}`);

const outdir = mkdtempSync(join(tmpdir(), "bench-worker-"));
const wrangler = resolve(import.meta.dirname, "../../node_modules/.bin/wrangler");
execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", outdir, "--config", config], {
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  stdio: "ignore",
});

const mf = new Miniflare({
  scriptPath: join(outdir, basename(main).replace(/\.ts$/, ".js")),
  modules: true,
  // module names are relative to it; the default (cwd) would need ".." to reach the bundle
  modulesRoot: outdir,
  compatibilityDate: setting("compatibility_date") ?? "2025-09-01",
  bindings: vars,
  host: "127.0.0.1",
  port: Number(process.env.PORT),
  logRequests: false,
});
await mf.ready;
// workerd has the code now; a stop by SIGKILL (the process group's) would leave the folder behind
rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ msg: "worker listening", port: process.env.PORT }));
const stop = () => void mf.dispose().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
