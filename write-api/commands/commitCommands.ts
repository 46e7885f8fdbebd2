import type { Command } from "../../shared/commands/schemas.ts";
import type { WriteTransaction } from "../db/writeTransactions.ts";
import {
  type CommandResponse,
  findReplay,
  rememberResponse,
} from "../idempotency/idempotencyKeys.ts";
import type { IdSource } from "./decide.ts";
import { type FaultHooks, runCommands } from "./runCommands.ts";

export interface CommitDeps {
  write: WriteTransaction;
  ids: IdSource;
  idempotencyTtlMs: number;
  /** called after a commit that appended events: wakes the relay, and the inline views follow */
  onCommitted?: (version: number) => void;
  faults?: FaultHooks;
  now?: () => number;
}

export interface CommitRequest {
  commands: Command[];
  idempotency?: { key: string; requestHash: string };
  /** the request's `X-Request-Id`, stored with its events */
  requestId?: string;
}

/**
 * One write request, one unit of commit: idempotency lookup, the commands, the
 * idempotency record commit together or not at all.
 * The writer may group it with other requests in one transaction (each in its
 * own savepoint), so it resolves only after that group's COMMIT, and so does
 * the relay's wake-up. A same-key request later in the same group sees this
 * one's record and replays it: both answers stand or fall with one COMMIT.
 *
 * @example
 * const { version } = await commitCommands(deps, { commands: parseCommands(body) });
 */
export async function commitCommands(
  deps: CommitDeps,
  request: CommitRequest,
): Promise<CommandResponse & { replayed: boolean; appended: number; scopes: string[] | null }> {
  const now = deps.now?.() ?? Date.now();
  const notBefore = now - deps.idempotencyTtlMs;
  const { idempotency } = request;
  const result = await deps.write(
    async (tx) => {
      if (idempotency) {
        const replay = await findReplay(tx, idempotency.key, idempotency.requestHash, notBefore);
        // a replay does not know what the first answer's write touched: its version is the floor
        if (replay) return { ...replay, replayed: true, appended: 0, scopes: null };
      }
      const at = new Date(now).toISOString();
      const outcome = await runCommands(tx, request.commands, {
        ids: deps.ids,
        faults: deps.faults,
        at,
        requestId: request.requestId,
      });
      const response = { version: outcome.version, results: outcome.results };
      if (idempotency) {
        await rememberResponse(
          tx,
          idempotency.key,
          idempotency.requestHash,
          response,
          now,
          notBefore,
        );
      }
      deps.faults?.beforeCommit?.();
      return {
        ...response,
        replayed: false,
        appended: outcome.events.length,
        scopes: outcome.scopes,
      };
    },
    { weight: request.commands.length },
  );
  if (!result.replayed) deps.onCommitted?.(result.version);
  return result;
}
