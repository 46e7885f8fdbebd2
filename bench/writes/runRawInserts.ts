import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadResult } from "../load/loadJob.ts";

const child = fileURLToPath(new URL("./rawInsertChild.ts", import.meta.url));

/** A write cell's load result and what the target wrote to storage per write (null where unknown). */
export interface WriteCellResult extends LoadResult {
  kibPerWrite: number | null;
}

/** Runs one raw-insert cell in its own process, as the write API runs in its own. */
export function runRawInserts(job: {
  path: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  prefix: string;
}): Promise<WriteCellResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", child, JSON.stringify(job)],
      { timeout: job.durationMs + job.warmupMs + 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`raw inserts failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as WriteCellResult);
      },
    );
  });
}
