import { existsSync, readFileSync } from "node:fs";
import { QstashError } from "@upstash/qstash";
import { formatSummary, type ProgressOutput } from "../rebuild/progress.ts";
import { type CqrsArgs, type CqrsCommand, parseCqrsArgs, UsageError, usage } from "./args.ts";
import { type DlqApi, dlqLines, listDlq, qstashDlq, redriveDlq, redriveLines } from "./dlq.ts";
import { pickReaders, readersByRegion, rebuildRegion } from "./rebuild.ts";
import { type RegionRebuild, rebuildExitCode, rebuildLine } from "./rebuildWatch.ts";
import { replay, replayExitCode } from "./replay.ts";
import { statusJson, statusLines, verifyReport } from "./report.ts";
import { resolveStackTarget, StackNotFoundError, type StackTarget } from "./stackTarget.ts";
import { type FetchLike, fetchSnapshot, networkReason, UnreachableError } from "./statusFetch.ts";
import { waitForQuiescence } from "./verify.ts";

export interface CqrsIo {
  stdout(text: string): void;
  /** errors, and the replay's and rebuild's progress bars */
  stderr: ProgressOutput;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: FetchLike;
  now?: () => number;
  /** between rebuild status polls; tests pass one that returns at once */
  sleep?: (ms: number) => Promise<void>;
  /** tests hand in a fake; the CLI uses the official QStash Client */
  dlqFor?: (qstash: StackTarget["qstash"]) => DlqApi;
}

export const exitCodes = { ok: 0, failed: 1, unreachable: 2, usage: 64 } as const;

const readText = (path: string): string | null =>
  existsSync(path) ? readFileSync(path, "utf8") : null;

const isNetworkError = (error: unknown) =>
  error instanceof Error &&
  (error.name === "TimeoutError" || (error instanceof TypeError && error.cause !== undefined));

/** The QStash Client's network failures are fetch's bare TypeError: name the service instead. */
function unreachableAs(what: string, dlq: DlqApi): DlqApi {
  const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isNetworkError(error)) throw new UnreachableError(`${what}: ${networkReason(error)}`);
      throw error;
    }
  };
  return {
    listMessages: (options) => wrap(() => dlq.listMessages(options)),
    retry: (request) => wrap(() => dlq.retry(request)),
  };
}

type Ran = Extract<CqrsArgs, { help: false }>;

async function run(args: Ran, stack: StackTarget, io: CqrsIo): Promise<number> {
  const out = (lines: string[]) => io.stdout(`${lines.join("\n")}\n`);
  const json = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  const fetchFn = io.fetch ?? ((url, init) => fetch(url, init));
  const now = io.now ?? (() => Date.now());
  const command: CqrsCommand = args.command;
  switch (command.name) {
    case "status": {
      const snapshot = await fetchSnapshot(stack, fetchFn, undefined, command.fresh);
      if (args.json) json(statusJson(snapshot));
      else out(statusLines(snapshot, now()));
      return exitCodes.ok;
    }
    case "verify": {
      const waited = await waitForQuiescence(stack, {
        timeoutMs: command.timeoutMs,
        fetch: fetchFn,
      });
      const report = verifyReport(waited.snapshot.primary, waited.snapshot.regions);
      if (args.json) json({ ...report, quiescent: waited.quiescent, waitedMs: waited.waitedMs });
      else out(report.lines);
      return report.code;
    }
    case "dlq list":
    case "dlq redrive": {
      if (!stack.qstash.url)
        throw new UsageError("no QStash URL: pass --qstash-url or set QSTASH_URL");
      if (!stack.qstash.token) {
        throw new UsageError(
          "no QStash token: pass --qstash-token, set QSTASH_TOKEN, or keep qstashToken in secrets.json beside the stack file",
        );
      }
      const dlq = unreachableAs(
        `cannot reach QStash at ${stack.qstash.url}`,
        (io.dlqFor ?? qstashDlq)(stack.qstash),
      );
      if (command.name === "dlq list") {
        const entries = await listDlq(dlq);
        if (args.json) json({ messages: entries });
        else out(dlqLines(entries, now()));
        return exitCodes.ok;
      }
      const result = await redriveDlq(
        dlq,
        command.all ? { all: true } : { dlqIds: command.dlqIds },
      );
      if (args.json) json(result);
      else out(redriveLines(result));
      return result.missing.length > 0 ? exitCodes.failed : exitCodes.ok;
    }
    case "replay": {
      try {
        const summary = await replay(command, stack, io);
        if (args.json) json({ target: command.target, ...summary });
        else out([formatSummary(command.target, summary)]);
        return exitCodes.ok;
      } catch (error) {
        io.stderr.write(`replay failed: ${(error as Error).message}\n`);
        return replayExitCode(error);
      }
    }
    case "rebuild": {
      if (!stack.tokens.admin) {
        throw new UsageError("no admin token: pass --admin-token or set ADMIN_TOKEN");
      }
      const readers = pickReaders(await readersByRegion(stack, fetchFn), command);
      const results: RegionRebuild[] = [];
      // One region at a time: each build pulls the whole log from the primary.
      for (const [region, reader] of readers) {
        const result = await rebuildRegion(region, reader, {
          adminToken: stack.tokens.admin,
          timeoutMs: command.timeoutMs,
          fetch: fetchFn,
          progress: io.stderr,
          now,
          sleep: io.sleep,
        });
        results.push(result);
        if (!args.json) out([rebuildLine(result)]);
      }
      if (args.json) json({ regions: results });
      return rebuildExitCode(results);
    }
  }
}

/**
 * The CLI without the process: parses `argv`, finds the stack, runs one
 * command and returns the exit code (0 ok, 1 divergence or a failed operation,
 * 2 stack not found or unreachable, 64 bad usage).
 *
 * @example
 * process.exitCode = await runCqrs(["verify", "--timeout", "10"], nodeIo);
 */
export async function runCqrs(argv: string[], io: CqrsIo): Promise<number> {
  try {
    const args = parseCqrsArgs(argv);
    if (args.help) {
      io.stdout(`${usage}\n`);
      return exitCodes.ok;
    }
    const stack = resolveStackTarget(args.connection, { env: io.env, cwd: io.cwd, readText });
    return await run(args, stack, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cqrs: ${error.message}\n\n${usage}\n`);
      return exitCodes.usage;
    }
    if (error instanceof StackNotFoundError || error instanceof UnreachableError) {
      io.stderr.write(`cqrs: ${error.message}\n`);
      return exitCodes.unreachable;
    }
    if (error instanceof QstashError) {
      const hint = error.status === 401 ? " (check the QStash token)" : "";
      io.stderr.write(`cqrs: QStash refused: ${error.message}${hint}\n`);
      return exitCodes.failed;
    }
    io.stderr.write(`cqrs: ${(error as Error).message}\n`);
    return exitCodes.failed;
  }
}
