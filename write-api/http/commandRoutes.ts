import type { Hono } from "hono";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { afterWrite } from "../../shared/consistency/tokenNeed.ts";
import { AppError } from "../../shared/errors/index.ts";
import { handOutToken } from "../../shared/http/handOutToken.ts";
import { readJsonBody } from "../../shared/http/jsonBody.ts";
import { offeredToken } from "../../shared/http/offeredToken.ts";
import type { Logger } from "../../shared/logging/logger.ts";
import type { Metrics } from "../../shared/metrics/metrics.ts";
import { type CommitDeps, commitCommands } from "../commands/commitCommands.ts";

export interface CommandRouteDeps extends CommitDeps {
  metrics: Metrics;
  tokens: ConsistencyTokens;
  consistencyTtlMs: number;
  /** tokens name the scopes a write changed, so reads of others need not wait for it */
  keyedTokens: boolean;
  bodyLimitBytes: number;
  log: Logger;
}

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

const idempotencyKeyOf = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(header)) {
    throw new AppError("bad_request", "Idempotency-Key must be 1-200 visible ASCII characters");
  }
  return header;
};

/**
 * `POST /v1/commands`: one command or an atomic batch, answered with
 * `{ version, results }` and a consistency token as header and cookie: the
 * token the request offered, raised by this write (its version for the read
 * scopes it changed, or everywhere when they are too many to name).
 */
export const commandRoutes = (deps: CommandRouteDeps) => (app: Hono) =>
  app.post("/v1/commands", async (c) => {
    const key = idempotencyKeyOf(c.req.header("idempotency-key"));
    const body = await readJsonBody(c, deps.bodyLimitBytes);
    const commands = parseCommands(body.value);
    const idempotency = key
      ? { key, requestHash: hex(await crypto.subtle.digest("SHA-256", body.raw)) }
      : undefined;
    const requestId = c.get("requestId");
    const offered = await offeredToken(deps.tokens, c.req.raw.headers);
    const { replayed, appended, scopes, ...response } = await commitCommands(deps, {
      commands,
      idempotency,
      requestId,
    });
    deps.log.info(replayed ? "command replayed" : "command committed", {
      requestId,
      commands: commands.map((command) => command.type),
      version: response.version,
      ...(appended > 0 && { seqFrom: response.version - appended + 1, seqTo: response.version }),
    });
    if (replayed) deps.metrics.inc("cqrs_idempotent_replays_total");
    else {
      for (const command of commands)
        deps.metrics.inc("cqrs_commands_total", { type: command.type });
      deps.metrics.inc("cqrs_events_appended_total", {}, appended);
    }

    // what the client's token asked, plus this write's scopes at its version (KEYED_TOKENS=0: the version alone)
    const need = afterWrite(offered.need, response.version, deps.keyedTokens ? scopes : null);
    await handOutToken(c, deps.tokens, need, deps.consistencyTtlMs);
    if (replayed) c.header("Idempotency-Replayed", "true");
    return c.json(response);
  });
