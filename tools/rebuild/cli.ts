import { existsSync, renameSync, rmSync } from "node:fs";
import type { EventSource } from "../../shared/events/eventSource.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import { createSqlViewStore, openViewDb } from "../../shared/views/stores/sql/index.ts";
import { parseRebuildArgs, type RebuildArgs, UsageError, usage } from "./args.ts";
import { formatSummary, type ProgressOutput, progressReporter } from "./progress.ts";
import { type RebuildSummary, rebuildViews } from "./rebuildViews.ts";

export interface CliIo {
  stdout(text: string): void;
  stderr: ProgressOutput;
  env: Record<string, string | undefined>;
  cwd: string;
  /** tests hand in a memory source; the CLI uses HTTP */
  sourceFor?: (args: RebuildArgs) => EventSource;
}

const sidecars = (path: string) => [`${path}-wal`, `${path}-shm`, `${path}-journal`];
const remove = (path: string) => {
  for (const p of [path, ...sidecars(path)]) rmSync(p, { force: true });
};

async function rebuildFile(
  path: string,
  from: number,
  args: RebuildArgs,
  source: EventSource,
  io: CliIo,
) {
  const db = await openViewDb(path);
  const store = createSqlViewStore(db, { ownsDatabase: true });
  const progress = progressReporter(io.stderr);
  try {
    const summary = await rebuildViews({
      source,
      store,
      from,
      batchSize: args.batchSize,
      applyBatchSize: args.applyBatchSize,
      onProgress: progress.update,
    });
    // everything into the main file, so it can be moved on its own
    await db.reader.run("PRAGMA wal_checkpoint(TRUNCATE)");
    return summary;
  } finally {
    progress.done();
    await store.close();
  }
}

/**
 * Rebuilds (or continues) a replica file. From seq 0 it builds a fresh file
 * next to the target and renames it into place only when complete, so a failed
 * rebuild never leaves a half-built replica behind.
 *
 * @example
 * await rebuildTarget(args, source, io); // → { events, seconds, eventsPerSecond, watermark, head, digest }
 */
export async function rebuildTarget(
  args: RebuildArgs,
  source: EventSource,
  io: CliIo,
): Promise<RebuildSummary> {
  if (args.from !== null) {
    if (!existsSync(args.target))
      throw new Error(`--from needs an existing target; ${args.target} does not exist`);
    return rebuildFile(args.target, args.from, args, source, io);
  }
  const fresh = `${args.target}.rebuild-${process.pid}`;
  remove(fresh);
  try {
    const summary = await rebuildFile(fresh, 0, args, source, io);
    for (const p of sidecars(args.target)) rmSync(p, { force: true });
    renameSync(fresh, args.target);
    return summary;
  } finally {
    remove(fresh);
  }
}

/**
 * The CLI without the process: parses arguments, rebuilds, prints the summary
 * (a line, or JSON with `--json`) and returns the exit code.
 *
 * @example
 * process.exitCode = await runRebuildCli(process.argv.slice(2), nodeIo);
 */
export async function runRebuildCli(argv: string[], io: CliIo): Promise<number> {
  let args: RebuildArgs;
  try {
    args = parseRebuildArgs(argv, io.env, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  const source =
    io.sourceFor?.(args) ?? httpEventSource({ url: args.source, readerToken: args.readerToken });
  try {
    const summary = await rebuildTarget(args, source, io);
    io.stdout(
      args.json
        ? `${JSON.stringify({ target: args.target, ...summary })}\n`
        : `${formatSummary(args.target, summary)}\n`,
    );
    return 0;
  } catch (error) {
    io.stderr.write(`rebuild failed: ${(error as Error).message}\n`);
    return 1;
  }
}
