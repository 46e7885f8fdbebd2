import { rmSync } from "node:fs";
import { Miniflare } from "miniflare";
import { bundleWorker } from "./bundleWorker.ts";

export interface ServeWorkerOptions {
  /** a wrangler.toml: its `main` is bundled, its `compatibility_date` kept */
  config: string;
  /** the Worker's vars and secrets, as Cloudflare would bind them */
  vars: Record<string, string>;
  host: string;
  port: number;
  /** fire the Worker's scheduled handler this often, as a cron trigger would; off when absent */
  cronIntervalMs?: number;
  /** the cron expression the scheduled handler is told; wrangler.toml's trigger is every minute */
  cron?: string;
  /**
   * D1 databases, binding name → database id, run by workerd's own D1 (as
   * `wrangler dev` does), kept under `persistDir` across restarts.
   */
  d1?: { databases: Record<string, string>; persistDir: string };
}

export interface ServedWorker {
  url: string;
  dispose(): Promise<void>;
}

/**
 * A Worker on one workerd process through Miniflare's API, on a socket of its own. `wrangler dev` runs
 * two (its dev proxy Worker in front of the user's, and a request-log call back
 * to Node per request), which caps a constant body near 1,000 req/s on 2 cores:
 * that measures wrangler's proxy, not workerd. Cloudflare fires cron triggers
 * by itself; locally nobody does, so the host fires the scheduled handler on
 * the interval asked for. The Worker's console output goes to this process's.
 */
export async function serveWorker(options: ServeWorkerOptions): Promise<ServedWorker> {
  const bundle = bundleWorker(options.config);
  const mf = new Miniflare({
    scriptPath: bundle.scriptPath,
    modules: true,
    // module names are relative to it; the default (cwd) would need ".." to reach the bundle
    modulesRoot: bundle.outdir,
    compatibilityDate: bundle.compatibilityDate,
    bindings: options.vars,
    ...(options.d1 && { d1Databases: options.d1.databases, d1Persist: options.d1.persistDir }),
    // The port asked for is a socket straight into the Worker. Miniflare's own
    // entry Worker (on a free port, for the scheduled trigger below) would add a
    // hop in the same workerd that cut a constant body from ~26,600 to ~6,800 req/s.
    host: options.host,
    port: 0,
    unsafeDirectSockets: [{ host: options.host, port: options.port }],
    logRequests: false,
    // serves /cdn-cgi/handler/scheduled, which the cron below calls (as wrangler dev's --test-scheduled)
    unsafeTriggerHandlers: options.cronIntervalMs !== undefined,
  });
  try {
    await mf.ready;
    const url = await mf.unsafeGetDirectURL();
    const stopCron = options.cronIntervalMs
      ? fireCron(mf, options.cronIntervalMs, options.cron ?? "* * * * *")
      : () => {};
    return {
      url: url.origin,
      dispose: async () => {
        stopCron();
        await mf.dispose();
      },
    };
  } catch (error) {
    await mf.dispose();
    throw error;
  } finally {
    // workerd has the code now; a stop by SIGKILL would leave the folder behind
    rmSync(bundle.outdir, { recursive: true, force: true });
  }
}

function fireCron(mf: Miniflare, intervalMs: number, cron: string): () => void {
  const url = `http://local/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`;
  let running = false;
  const timer = setInterval(() => {
    // a slow reconcile is not started twice at once
    if (running) return;
    running = true;
    mf.dispatchFetch(url)
      .then(async (res) => {
        const body = await res.text();
        if (!res.ok)
          console.error(
            JSON.stringify({ msg: "scheduled handler failed", status: res.status, body }),
          );
      })
      .catch((error: unknown) => {
        // a host being disposed drops one tick
        console.error(
          JSON.stringify({ msg: "scheduled handler not reached", error: String(error) }),
        );
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  return () => clearInterval(timer);
}
