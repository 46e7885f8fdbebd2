import { EventSourceError, httpEventSource } from "../../shared/events/eventSource.ts";
import type { RebuildArgs } from "../rebuild/args.ts";
import { type CliIo, rebuildTarget } from "../rebuild/cli.ts";
import type { RebuildSummary } from "../rebuild/rebuildViews.ts";
import type { StackTarget } from "./stackTarget.ts";

export interface ReplayRequest {
  target: string;
  /** 0: a fresh file from seq 0, swapped in when complete; N: continue the existing file after N */
  from: number;
  batchSize: number;
}

/**
 * `cqrs replay`: the rebuild tool's `rebuildTarget`, pointed at the stack's
 * write API with its reader token. `--from 0` is the rebuild from scratch (a
 * fresh file renamed into place), any other N continues an existing target.
 *
 * @example
 * await replay({ target: "/tmp/eu.db", from: 0, batchSize: 1000 }, stackTarget, io);
 * // → { events: 412, watermark: 412, digest: "9f…", … }
 */
export function replay(
  request: ReplayRequest,
  stack: StackTarget,
  io: Omit<CliIo, "sourceFor">,
): Promise<RebuildSummary> {
  const args: RebuildArgs = {
    target: request.target,
    from: request.from === 0 ? null : request.from,
    source: stack.writeApi,
    readerToken: stack.tokens.reader,
    batchSize: request.batchSize,
    json: false,
    help: false,
  };
  return rebuildTarget(
    args,
    httpEventSource({ url: stack.writeApi, readerToken: stack.tokens.reader }),
    io,
  );
}

/**
 * A replay that failed because the log could not be fetched at all is a
 * network error (exit 2); a refusal or a broken target is a failure (exit 1).
 *
 * @example
 * replayExitCode(new EventSourceError("cannot reach …")); // → 2
 */
export function replayExitCode(error: unknown): 1 | 2 {
  return error instanceof EventSourceError && error.httpStatus === undefined ? 2 : 1;
}
