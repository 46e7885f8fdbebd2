import { Agent, request } from "node:http";
import type { LoadJob, LoadResult } from "./loadJob.ts";
import { percentile } from "./stats.ts";

// Child process (forked with IPC): each LoadJob message is answered with a
// LoadResult message. Plain node:http with keep-alive: a fixed number of
// connections, each a closed loop (the next request leaves when the previous
// answer arrived), so concurrency is exact and nothing queues in the client.
async function runJob(job: LoadJob): Promise<LoadResult> {
  const origin = new URL(job.origin);
  if (origin.hostname !== "127.0.0.1") throw new Error("load goes to 127.0.0.1 only");
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });

  let next = 0;
  let unique = 0;
  let measuring = false;
  let stopped = false;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];

  const send = (): Promise<void> =>
    new Promise((resolve) => {
      const path = job.paths[next++ % job.paths.length] ?? "/";
      const body = job.bodyTemplate?.replaceAll("{{n}}", `${job.uniquePrefix ?? "u"}-${unique++}`);
      const started = performance.now();
      const fail = (what: string) => {
        if (measuring) {
          errors++;
          firstError ??= what;
        }
        resolve();
      };
      const req = request(
        {
          agent,
          host: origin.hostname,
          port: origin.port,
          path,
          method: job.method,
          headers: {
            ...job.headers,
            ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body) }),
          },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) return fail(`HTTP ${status} on ${path}`);
            if (measuring) latencies.push(performance.now() - started);
            resolve();
          });
          res.on("error", (e) => fail(e.message));
        },
      );
      req.on("error", (e) => fail(e.message));
      req.end(body);
    });

  const loop = async () => {
    while (!stopped) await send();
  };

  const loops = Array.from({ length: job.concurrency }, loop);
  await new Promise((r) => setTimeout(r, job.warmupMs));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, job.durationMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1_000;
  stopped = true;
  await Promise.all(loops);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const result: LoadResult = {
    requests: latencies.length,
    errors,
    firstError,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
  return result;
}

process.on("message", (job: LoadJob) => {
  runJob(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
