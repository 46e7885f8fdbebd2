import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface RebuildArgs {
  target: string;
  /** null: rebuild from seq 0 into a fresh file; N: continue the target after seq N */
  from: number | null;
  source: string;
  readerToken: string;
  batchSize: number;
  /** events per apply; rebuildViews' default when absent */
  applyBatchSize?: number;
  json: boolean;
  help: boolean;
}

export const usage = `usage: tsx tools/rebuild/rebuild.ts --target <file.db> [--from N] [--source URL]
                                 [--reader-token T] [--batch-size N] [--apply-batch N] [--json]

Pulls the primary's event log (GET {source}/v1/events) into a SQL view store.
Without --from the target is rebuilt from seq 0 in a fresh file that replaces
it when complete (restart readers that have it open); with --from N the
existing target continues after seq N.

  --target        the replica's libSQL file, e.g. .data/replica.db (required)
  --from          continue after this seq instead of rebuilding from 0
  --source        the write API (default: .data/stack.json, else http://127.0.0.1:8080)
  --reader-token  bearer token for /v1/events (default: READER_TOKEN, else .data/stack.json)
  --batch-size    events per pull, 1-1000 (default 1000)
  --apply-batch   events per apply, 1-200000 (default 20000): bigger folds more writes away
  --json          print the summary as JSON`;

/** Bad arguments: the CLI prints the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

interface StackFile {
  writeApi?: { url?: string };
  tokens?: { reader?: string };
}

function readStack(cwd: string): StackFile {
  const path = resolve(cwd, ".data/stack.json");
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StackFile;
  } catch {
    return {};
  }
}

const integer = (name: string, raw: string | undefined, min: number, max: number) => {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return n;
};

/**
 * @example
 * parseRebuildArgs(["--target", ".data/replica.db", "--from", "42"], {}, "/repo").from; // → 42
 */
export function parseRebuildArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  cwd: string,
): RebuildArgs {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const help = values.help === true;
  if (!values.target && !help) throw new UsageError("--target is required");
  const stack = readStack(cwd);
  return {
    target: values.target ?? "",
    from:
      values.from === undefined ? null : integer("from", values.from, 0, Number.MAX_SAFE_INTEGER),
    source: values.source ?? stack.writeApi?.url ?? "http://127.0.0.1:8080",
    readerToken: values["reader-token"] ?? env.READER_TOKEN ?? stack.tokens?.reader ?? "",
    batchSize:
      values["batch-size"] === undefined
        ? 1_000
        : integer("batch-size", values["batch-size"], 1, 1_000),
    applyBatchSize:
      values["apply-batch"] === undefined
        ? 20_000
        : integer("apply-batch", values["apply-batch"], 1, 200_000),
    json: values.json === true,
    help,
  };
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    strict: true,
    options: {
      target: { type: "string" },
      from: { type: "string" },
      source: { type: "string" },
      "reader-token": { type: "string" },
      "batch-size": { type: "string" },
      "apply-batch": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
