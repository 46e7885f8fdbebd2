import type { CommandArgs } from "./reply.ts";

const SERVER = "the local Upstash REST server";

// They would park a shared connection (and the HTTP request) for up to their timeout.
const BLOCKING = new Set([
  "blpop",
  "brpop",
  "brpoplpush",
  "blmove",
  "blmpop",
  "bzpopmin",
  "bzpopmax",
  "bzmpop",
  "wait",
  "waitaof",
]);
// Upstash serves these as server-sent event streams; this server does not.
const STREAMING = new Set([
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
  "monitor",
]);
// Transactions belong to /multi-exec, which owns a connection for the whole request.
const TRANSACTION = new Set(["multi", "exec", "discard", "watch", "unwatch"]);
// Connections are pooled and shared between requests: state set by one request
// would leak into the next, or (CLIENT REPLY, QUIT) break the reply framing.
const CONNECTION_STATE = new Set(["select", "auth", "hello", "quit", "reset", "swapdb"]);
const SERVER_CONTROL = new Set(["shutdown", "sync", "psync", "replconf", "replicaof", "slaveof"]);

const hasBlockOption = (args: CommandArgs): boolean =>
  args.slice(1).some((arg) => arg.toString("latin1").toLowerCase() === "block");

/**
 * Says why this server refuses a command, or `undefined` if it may run.
 *
 * @example
 * ```ts
 * commandRefusal([Buffer.from("BLPOP"), Buffer.from("q"), Buffer.from("0")]);
 * // "ERR blocking command 'blpop' is not supported by the local Upstash REST server"
 * ```
 */
export const commandRefusal = (args: CommandArgs): string | undefined => {
  const name = args[0]?.toString("latin1").toLowerCase() ?? "";
  if (BLOCKING.has(name) || ((name === "xread" || name === "xreadgroup") && hasBlockOption(args))) {
    return `ERR blocking command '${name}' is not supported by ${SERVER}`;
  }
  if (STREAMING.has(name)) {
    return `ERR '${name}' (pub/sub and MONITOR over server-sent events) is not supported by ${SERVER}`;
  }
  if (TRANSACTION.has(name)) {
    return `ERR '${name}' is not allowed as a single command: send the transaction to /multi-exec`;
  }
  const subcommand = args[1]?.toString("latin1").toLowerCase();
  if (CONNECTION_STATE.has(name) || (name === "client" && subcommand === "reply")) {
    return `ERR '${name}' changes connection state, which ${SERVER} shares between requests`;
  }
  if (SERVER_CONTROL.has(name)) return `ERR '${name}' is not allowed through ${SERVER}`;
  return undefined;
};
