import { parseArgs } from "node:util";

export const usage = `usage: npm run cqrs -- <command> [options]

Operates a running edge-cqrs stack, found through .data/stack.json.

commands:
  status [--fresh]               one line per region: runtime+store, watermark, lag behind the
                                 primary's head, digest (✓ agrees, ✗ differs, … catching up,
                                 ? unreachable) and last apply; then the primary's head/published.
                                 Digests are the ones each store keeps with its watermark;
                                 --fresh has every store compute its digest from every record
                                 (seconds on a large catalog), which also shows views changed
                                 behind a store's back, as verify does
  verify [--timeout S]           waits up to S seconds (default 30) until every watermark equals
                                 the head, then compares each region's watermark and digest with
                                 the primary's inline views
  dlq list                       the QStash dead-letter queue
  dlq redrive --all | <dlqId>…   delivers dead-lettered messages again
  replay --target <file.db> [--from N] [--batch-size N]
                                 builds a SQL view store from the primary's log: from seq 0 into a
                                 fresh file (default), or continues an existing file after seq N
  rebuild <region>… | --all [--timeout S]
                                 a reader rebuilds its views from the log in a new generation
                                 while serving the old one, and switches when caught up; waits up
                                 to S seconds (default 300) per region, showing progress

where the stack is (flags win over env, env over the stack file):
  --stack <file>                 a stack.json (default .data/stack.json; secrets.json beside it)
  --write-api <url>              the write API, instead of a stack file
  --reader <url>                 a reader; repeat for each region (replaces the file's readers)
  --admin-token <t>              admin bearer token (ADMIN_TOKEN); rebuild sends it to readers
  --reader-token <t>             bearer token for /v1/events (READER_TOKEN)
  --qstash-url <url>             QStash's API (QSTASH_URL)
  --qstash-token <t>             QStash token (QSTASH_TOKEN, else qstashToken in secrets.json)

  --json                         machine-readable output
  -h, --help                     this text

exit codes: 0 ok, 1 divergence or a failed operation, 2 stack not found or unreachable,
            64 bad usage`;

/** Bad arguments: the CLI prints the message and the usage on stderr and exits 64. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Where the stack is, as given on the command line; the environment and files fill the rest. */
export interface ConnectionArgs {
  stack?: string;
  writeApi?: string;
  readers: string[];
  adminToken?: string;
  readerToken?: string;
  qstashUrl?: string;
  qstashToken?: string;
}

export type CqrsCommand =
  | { name: "status"; fresh: boolean }
  | { name: "verify"; timeoutMs: number }
  | { name: "dlq list" }
  | { name: "dlq redrive"; all: boolean; dlqIds: string[] }
  | { name: "replay"; target: string; from: number; batchSize: number }
  | { name: "rebuild"; all: boolean; regions: string[]; timeoutMs: number };

export type CqrsArgs =
  | { help: true }
  | { help: false; command: CqrsCommand; connection: ConnectionArgs; json: boolean };

const options = {
  stack: { type: "string" },
  "write-api": { type: "string" },
  reader: { type: "string", multiple: true },
  "admin-token": { type: "string" },
  "reader-token": { type: "string" },
  "qstash-url": { type: "string" },
  "qstash-token": { type: "string" },
  json: { type: "boolean" },
  timeout: { type: "string" },
  all: { type: "boolean" },
  target: { type: "string" },
  from: { type: "string" },
  "batch-size": { type: "string" },
  fresh: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Flag = keyof typeof options;
const connectionFlags: Flag[] = ["stack", "write-api", "reader", "admin-token", "reader-token"];
const qstashFlags: Flag[] = ["qstash-url", "qstash-token"];
const allowed: Record<CqrsCommand["name"], Flag[]> = {
  status: [...connectionFlags, "json", "fresh"],
  verify: [...connectionFlags, "json", "timeout"],
  "dlq list": [...connectionFlags, ...qstashFlags, "json"],
  "dlq redrive": [...connectionFlags, ...qstashFlags, "json", "all"],
  replay: [...connectionFlags, "json", "target", "from", "batch-size"],
  rebuild: [...connectionFlags, "json", "timeout", "all"],
};

const integer = (flag: string, raw: string, min: number, max: number): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}`);
  }
  return n;
};

/**
 * Seconds, with an optional `s` or `ms` suffix.
 *
 * @example
 * parseTimeout("30"); // → 30000
 * parseTimeout("500ms"); // → 500
 */
export function parseTimeout(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|ms)?$/.exec(raw);
  if (!match) throw new UsageError(`--timeout must be seconds, like 30, 2.5s or 500ms`);
  const n = Number(match[1]);
  return Math.round(match[2] === "ms" ? n : n * 1_000);
}

type Values = ReturnType<typeof parse>["values"];
const parse = (args: string[]) =>
  parseArgs({ args, options, strict: true, allowPositionals: true });

function commandOf(words: string[], v: Values): CqrsCommand {
  const [first, second, ...rest] = words;
  if (first === undefined) throw new UsageError("missing command");
  const noMore = (extra: string[]) => {
    if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  };
  switch (first) {
    case "status":
      noMore(words.slice(1));
      return { name: "status", fresh: v.fresh ?? false };
    case "verify":
      noMore(words.slice(1));
      return { name: "verify", timeoutMs: parseTimeout(v.timeout ?? "30") };
    case "dlq":
      if (second === "list") {
        noMore(rest);
        return { name: "dlq list" };
      }
      if (second === "redrive") {
        const all = v.all === true;
        if (all === rest.length > 0) throw new UsageError("dlq redrive needs --all or dlqIds");
        return { name: "dlq redrive", all, dlqIds: rest };
      }
      throw new UsageError(
        second === undefined ? "dlq needs list or redrive" : `unknown dlq command: ${second}`,
      );
    case "replay":
      noMore(words.slice(1));
      if (!v.target) throw new UsageError("replay needs --target <file.db>");
      return {
        name: "replay",
        target: v.target,
        from: v.from === undefined ? 0 : integer("from", v.from, 0, Number.MAX_SAFE_INTEGER),
        batchSize:
          v["batch-size"] === undefined ? 1_000 : integer("batch-size", v["batch-size"], 1, 1_000),
      };
    case "rebuild": {
      const regions = words.slice(1);
      const all = v.all === true;
      if (all === regions.length > 0) throw new UsageError("rebuild needs a region or --all");
      return { name: "rebuild", all, regions, timeoutMs: parseTimeout(v.timeout ?? "300") };
    }
    default:
      throw new UsageError(`unknown command: ${first}`);
  }
}

/**
 * Parses `cqrs <command> [options]`. Throws `UsageError` for an unknown
 * command, an unknown flag, or a flag the command does not take.
 *
 * @example
 * parseCqrsArgs(["verify", "--timeout", "5"]);
 * // → { help: false, command: { name: "verify", timeoutMs: 5000 }, connection: { readers: [] }, json: false }
 */
export function parseCqrsArgs(argv: string[]): CqrsArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help === true) return { help: true };
  const command = commandOf(parsed.positionals, v);
  const given = (Object.keys(v) as Flag[]).filter((flag) => v[flag] !== undefined);
  const stray = given.find((flag) => !allowed[command.name].includes(flag));
  if (stray) throw new UsageError(`${command.name} does not take --${stray}`);
  return {
    help: false,
    command,
    json: v.json === true,
    connection: {
      stack: v.stack,
      writeApi: v["write-api"],
      readers: v.reader ?? [],
      adminToken: v["admin-token"],
      readerToken: v["reader-token"],
      qstashUrl: v["qstash-url"],
      qstashToken: v["qstash-token"],
    },
  };
}
