import { Agent, request } from "node:http";
import { closedLoop } from "./closedLoop.ts";
import type { LoadJob, LoadResult } from "./loadJob.ts";

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

  // One request; resolves on a 2xx answer, rejects with what went wrong otherwise.
  const send = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const path = job.paths[next++ % job.paths.length] ?? "/";
      const body = job.bodyTemplate?.replaceAll("{{n}}", `${job.uniquePrefix ?? "u"}-${unique++}`);
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
            if (status < 200 || status > 299) reject(new Error(`HTTP ${status} on ${path}`));
            else resolve();
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  try {
    return await closedLoop(job, send);
  } finally {
    agent.destroy();
  }
}

process.on("message", (job: LoadJob) => {
  runJob(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
