import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadResult } from "./loadJob.ts";

const worker = fileURLToPath(new URL("./loadWorker.ts", import.meta.url));

type Reply = { ok: true; result: LoadResult } | { ok: false; error: string };

export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadResult>;
  close(): void;
}

/**
 * A load generator in its own process, kept for the whole run so a cell does
 * not pay a process start: it never shares an event loop with the server it
 * measures (it does share the machine's cores, which the report says).
 */
export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(worker, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    run(job) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("load worker timed out")),
          job.warmupMs + job.durationMs + 30_000,
        );
        child.once("message", (reply: Reply) => {
          clearTimeout(timer);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`load worker failed: ${reply.error}`));
        });
        child.send(job);
      });
    },
    close() {
      if (child.connected) child.disconnect();
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}
